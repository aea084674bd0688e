package dev.floe.source.control;

import io.debezium.connector.postgresql.connection.PostgresConnection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Floe's two small tables in the captured database, in schema {@value #SCHEMA}: the heartbeat
 * table, which the heartbeat action query upserts so an idle database still sends a published
 * change the slot can confirm, and Debezium's signal table, through which incremental snapshots are
 * asked for. The connector creates them at start when they are missing and it uses them; a database
 * administrator may create them beforehand instead, with {@link #DDL}.
 */
public final class ControlTables {
  public static final String SCHEMA = "floe";
  public static final String HEARTBEAT_TABLE = SCHEMA + ".floe_heartbeat";
  public static final String SIGNAL_TABLE = SCHEMA + ".floe_signal";

  /** One row, rewritten on each heartbeat: a change in the WAL that the publication carries. */
  public static final String HEARTBEAT_ACTION_QUERY =
      "INSERT INTO "
          + HEARTBEAT_TABLE
          + " (id, beat_at) VALUES (1, now())"
          + " ON CONFLICT (id) DO UPDATE SET beat_at = EXCLUDED.beat_at";

  /** The statements that create what is missing, as documented in docs/source-operations.md. */
  public static final List<String> DDL =
      List.of(
          "CREATE SCHEMA IF NOT EXISTS " + SCHEMA,
          "CREATE TABLE IF NOT EXISTS "
              + HEARTBEAT_TABLE
              + " (id int PRIMARY KEY, beat_at timestamptz NOT NULL)",
          // the column layout Debezium reads signals from
          "CREATE TABLE IF NOT EXISTS "
              + SIGNAL_TABLE
              + " (id varchar(42) PRIMARY KEY, type varchar(32) NOT NULL, data varchar(2048))");

  private static final Logger LOG = LoggerFactory.getLogger(ControlTables.class);

  private ControlTables() {}

  /**
   * Creates Floe's control tables that {@code config} uses and the database lacks. Tables a user
   * replaced with their own (another heartbeat query or signal table) are left alone.
   */
  public static void ensureExist(PostgresConnection connection, Map<String, String> config) {
    List<String> needed = new ArrayList<>();
    if (HEARTBEAT_ACTION_QUERY.equals(config.get("heartbeat.action.query"))
        && !"0".equals(config.get("heartbeat.interval.ms"))) {
      needed.add(HEARTBEAT_TABLE);
    }
    if (SIGNAL_TABLE.equals(config.get("signal.data.collection"))) {
      needed.add(SIGNAL_TABLE);
    }
    try {
      List<String> missing = new ArrayList<>();
      for (String table : needed) {
        boolean exists =
            connection.queryAndMap(
                "SELECT to_regclass('" + table + "') IS NOT NULL",
                rs -> rs.next() && rs.getBoolean(1));
        if (!exists) {
          missing.add(table);
        }
      }
      if (missing.isEmpty()) {
        return;
      }
      connection.execute(DDL.toArray(String[]::new));
      LOG.info("Created Floe's control tables {}", missing);
    } catch (SQLException e) {
      if (e.getSQLState() != null && e.getSQLState().startsWith("08")) {
        // the database is unreachable: the task's own connection reports (and retries) that
        LOG.warn("Could not check Floe's control tables {}: {}", needed, e.getMessage());
        return;
      }
      throw new ConnectException(
          "Floe could not create its control tables "
              + needed
              + " ("
              + e.getMessage()
              + "). Have a database administrator run: "
              + String.join("; ", DDL)
              + "; then grant the connector's user USAGE on schema "
              + SCHEMA
              + " and INSERT, UPDATE, DELETE, SELECT on both tables, and make it their owner"
              + " (a filtered publication can only hold tables its owner owns).",
          e);
    }
  }
}
