package dev.floe.source.preflight;

import java.sql.SQLException;
import java.util.List;

/** One question about the database the source is about to capture, answered with findings. */
interface PreflightCheck {

  /** The problems found, none when the database is ready in this respect. */
  List<Finding> check(PreflightContext context) throws SQLException;
}
