package dev.floe.source.preflight;

import io.debezium.config.Configuration;
import io.debezium.connector.postgresql.PostgresConnectorConfig;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * What every check shares: an open connection as the connector's role, the connector's settings,
 * and the database's tables read once.
 *
 * @param superuser whether the role bypasses privilege checks (superusers may do everything the
 *     source needs)
 */
record PreflightContext(
    Connection connection,
    Configuration config,
    PostgresConnectorConfig postgres,
    String user,
    boolean superuser,
    List<CapturedTable> allTables,
    List<CapturedTable> captured) {

  static PreflightContext read(Connection connection, Configuration config) throws SQLException {
    String user;
    boolean superuser;
    try (Statement st = connection.createStatement();
        ResultSet rs =
            st.executeQuery(
                "select current_user, rolsuper from pg_roles where rolname = current_user")) {
      rs.next();
      user = rs.getString(1);
      superuser = rs.getBoolean(2);
    }
    List<CapturedTable> all = DatabaseTables.load(connection);
    return new PreflightContext(
        connection,
        config,
        new PostgresConnectorConfig(config),
        user,
        superuser,
        all,
        DatabaseTables.captured(all, config));
  }

  /** A single-row, single-column query's text answer. */
  String queryText(String sql) throws SQLException {
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  /** The captured tables' names, as a Postgres table list. */
  String capturedList() {
    return String.join(", ", captured.stream().map(CapturedTable::sqlName).toList());
  }
}
