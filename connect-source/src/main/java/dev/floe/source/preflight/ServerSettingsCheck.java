package dev.floe.source.preflight;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The server can decode its WAL logically, and supports the connection mode asked for and the
 * tables captured: Postgres 12 cannot publish a partitioned table (13 added {@code
 * publish_via_partition_root}, through which Floe sends a partitioned table's changes as one stream
 * under its root's name).
 */
final class ServerSettingsCheck implements PreflightCheck {
  private static final int READ_ONLY_SINCE = 130000;
  private static final int PARTITION_ROOTS_SINCE = 130000;

  @Override
  public List<Finding> check(PreflightContext context) throws SQLException {
    List<Finding> findings = new ArrayList<>();
    String walLevel = context.queryText("show wal_level");
    if (!"logical".equals(walLevel)) {
      // Pinned on database.hostname: the fix is a setting of the server that key names (or naming
      // another server); no plugin.name helps, every decoding plugin needs wal_level=logical.
      findings.add(
          Finding.error(
              PreflightKeys.HOSTNAME,
              "The Postgres server at "
                  + PreflightKeys.server(context.config())
                  + " runs with wal_level="
                  + walLevel
                  + ", and change data capture needs wal_level=logical. Run ALTER SYSTEM SET"
                  + " wal_level = logical; and restart Postgres (on Amazon RDS or Aurora, set"
                  + " rds.logical_replication=1 in the parameter group and reboot), or point"
                  + " database.hostname at a server that has it."));
    }
    int version = Integer.parseInt(context.queryText("show server_version_num"));
    if (context.postgres().isReadOnlyConnection() && version < READ_ONLY_SINCE) {
      findings.add(
          Finding.error(
              "read.only",
              "read.only=true needs Postgres 13 or later; this server is "
                  + context.queryText("show server_version")
                  + ". Set read.only=false."));
    }
    if (version < PARTITION_ROOTS_SINCE) {
      for (CapturedTable table : context.captured()) {
        if (table.partitioned()) {
          findings.add(
              Finding.error(
                  PreflightKeys.tableListKey(context.config()),
                  "Table "
                      + table.sqlName()
                      + " is partitioned, and Postgres "
                      + context.queryText("show server_version")
                      + " cannot publish a partitioned table (Postgres 13 added"
                      + " publish_via_partition_root, through which its partitions' changes"
                      + " arrive as one table's). Leave it out (table.exclude.list), or upgrade"
                      + " Postgres to 13 or later."));
        }
      }
    }
    return findings;
  }
}
