package dev.floe.source.preflight;

import io.debezium.config.Configuration;
import java.sql.SQLException;

/**
 * Why the connector could not log in, pinned on the key that must change: the password, the user,
 * the database name, or (for anything else: refused, unknown host, timeout) the host and port.
 */
final class ConnectionFailure {
  private static final String INVALID_PASSWORD = "28P01";
  private static final String INVALID_AUTHORIZATION = "28000";
  private static final String INVALID_DATABASE = "3D000";

  private ConnectionFailure() {}

  static Finding describe(SQLException e, Configuration config) {
    String server = PreflightKeys.server(config);
    String user = config.getString(PreflightKeys.USER);
    String reason = e.getMessage();
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    return switch (state) {
      case INVALID_PASSWORD ->
          Finding.error(
              PreflightKeys.PASSWORD,
              "Postgres at "
                  + server
                  + " refused the password of user '"
                  + user
                  + "' ("
                  + reason
                  + "). Check database.password and database.user.");
      case INVALID_AUTHORIZATION ->
          Finding.error(
              PreflightKeys.USER,
              "Postgres at "
                  + server
                  + " does not let user '"
                  + user
                  + "' in ("
                  + reason
                  + "). Check database.user, that the role exists with LOGIN, and that pg_hba.conf"
                  + " admits it from the Connect worker's address.");
      case INVALID_DATABASE ->
          Finding.error(
              PreflightKeys.DBNAME,
              "Postgres at "
                  + config.getString(PreflightKeys.HOSTNAME)
                  + ":"
                  + config.getString(PreflightKeys.PORT, "5432")
                  + " has no database '"
                  + config.getString(PreflightKeys.DBNAME)
                  + "'. Check database.dbname.");
      default ->
          Finding.unreachable(
              PreflightKeys.HOSTNAME,
              "Cannot connect to Postgres at "
                  + server
                  + " ("
                  + reason
                  + "). Check database.hostname and database.port, and that the Connect worker can"
                  + " reach the server.");
    };
  }
}
