package dev.floe.source.preflight;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The server has room for the connector's replication slot and WAL sender. A slot that already
 * exists under the connector's {@code slot.name} (a restart, a reconfiguration) needs no free slot,
 * but must be a slot of this database and this decoding plugin.
 */
final class ReplicationCapacityCheck implements PreflightCheck {

  @Override
  public List<Finding> check(PreflightContext context) throws SQLException {
    List<Finding> findings = new ArrayList<>();
    Connection c = context.connection();
    String slot = context.postgres().slotName();
    String plugin = context.postgres().plugin().getPostgresPluginName();
    boolean slotExists = false;
    boolean slotActive = false;
    try (PreparedStatement st =
        c.prepareStatement(
            "select database, plugin, active from pg_replication_slots where slot_name = ?")) {
      st.setString(1, slot);
      try (ResultSet rs = st.executeQuery()) {
        if (rs.next()) {
          slotExists = true;
          slotActive = rs.getBoolean(3);
          String database = rs.getString(1);
          if (!context.postgres().databaseName().equals(database)
              || !plugin.equals(rs.getString(2))) {
            findings.add(
                Finding.error(
                    PreflightKeys.SLOT_NAME,
                    "The replication slot '"
                        + slot
                        + "' already exists for database '"
                        + database
                        + "' with plugin '"
                        + rs.getString(2)
                        + "', but this connector reads database '"
                        + context.postgres().databaseName()
                        + "' with plugin '"
                        + plugin
                        + "'. Choose another slot.name, or drop the old slot if nothing uses it:"
                        + " SELECT pg_drop_replication_slot('"
                        + slot
                        + "');"));
          }
        }
      }
    }
    if (!slotExists) {
      int max = Integer.parseInt(context.queryText("show max_replication_slots"));
      List<String> used = names(c, "select slot_name from pg_replication_slots order by 1");
      if (used.size() >= max) {
        findings.add(
            Finding.error(
                PreflightKeys.SLOT_NAME,
                "The server has no free replication slot for '"
                    + slot
                    + "': max_replication_slots="
                    + max
                    + " and "
                    + (used.isEmpty() ? "none is" : used.size() + " are")
                    + " in use "
                    + used
                    + ". Drop a slot nothing reads any more (SELECT pg_drop_replication_slot('name');),"
                    + " set slot.name to an existing slot of this connector, or raise"
                    + " max_replication_slots (ALTER SYSTEM SET max_replication_slots = ...; then"
                    + " restart Postgres)."));
      }
    }
    // Our own slot being active means our previous task still holds a sender it will hand back.
    if (!slotActive) {
      int maxSenders = Integer.parseInt(context.queryText("show max_wal_senders"));
      int senders = Integer.parseInt(context.queryText("select count(*) from pg_stat_replication"));
      if (senders >= maxSenders) {
        findings.add(
            Finding.error(
                PreflightKeys.HOSTNAME,
                "The Postgres server at "
                    + PreflightKeys.server(context.config())
                    + " has no free WAL sender: max_wal_senders="
                    + maxSenders
                    + " and "
                    + senders
                    + " in use. Raise it (ALTER SYSTEM SET max_wal_senders = ...; then restart"
                    + " Postgres) or stop a replication client that is no longer needed."));
      }
    }
    return findings;
  }

  private static List<String> names(Connection c, String sql) throws SQLException {
    List<String> names = new ArrayList<>();
    try (PreparedStatement st = c.prepareStatement(sql);
        ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    }
    return names;
  }
}
