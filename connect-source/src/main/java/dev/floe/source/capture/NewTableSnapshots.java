package dev.floe.source.capture;

import dev.floe.source.config.SourceDatabase;
import io.debezium.connector.postgresql.connection.PostgresConnection;
import io.debezium.relational.TableId;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The incremental snapshots of tables added to the publication while the connector ran ({@link
 * NewTableWatch}). Debezium can snapshot only a table whose schema its task read when it started
 * (asked for another, it fails to read it and skips the snapshot), so the connector restarts the
 * task with the tables named in {@value #TASK_KEY}, and the task, once started, signals each
 * snapshot through Debezium's signal table. Each signal's id is made of the table's name and the
 * time it was added: a task started again with the same setting does not snapshot it twice, a table
 * dropped and created again is snapshotted again.
 */
public final class NewTableSnapshots {
  /** The task setting naming the tables to snapshot. */
  public static final String TASK_KEY = "floe.new-tables.snapshot";

  private static final Logger LOG = LoggerFactory.getLogger(NewTableSnapshots.class);

  private NewTableSnapshots() {}

  /**
   * {@code tables}, each with the time it was added, as the value of {@value #TASK_KEY}: one {@code
   * name@millis} per line; null when there are none.
   */
  public static String taskValue(Map<TableId, Long> tables) {
    List<String> lines = new ArrayList<>();
    tables.forEach(
        (table, addedAt) -> {
          String name = collectionName(table);
          if (name == null) {
            LOG.error(
                "Table {} was added to the publication while the connector ran, but Debezium cannot"
                    + " snapshot a table so named (incremental snapshots take letters, digits and"
                    + " underscores): its changes stream from now on, the rows it had before are not"
                    + " read. Copy them yourself, or rename the table and let the connector find"
                    + " it again.",
                table);
          } else {
            lines.add(name + "@" + addedAt);
          }
        });
    return lines.isEmpty() ? null : String.join("\n", lines);
  }

  /** Signals the snapshots a task started with {@code config} was restarted for. */
  public static void signal(Map<String, String> config) {
    String tables = config.get(TASK_KEY);
    if (tables == null || tables.isBlank()) {
      return;
    }
    String[] signalTable = config.get("signal.data.collection").split("\\.", 2);
    String sql =
        "INSERT INTO "
            + NewTableWatch.quoted(signalTable[0])
            + "."
            + NewTableWatch.quoted(signalTable[1])
            + " (id, type, data) VALUES (?, 'execute-snapshot', ?) ON CONFLICT (id) DO NOTHING";
    try (PostgresConnection connection = SourceDatabase.connect(config, "floe-new-tables");
        PreparedStatement insert = connection.connection().prepareStatement(sql)) {
      for (String line : tables.split("\n")) {
        String table = line.substring(0, line.lastIndexOf('@'));
        // fits the signal table's id (varchar(42)); the time tells a table created again apart
        insert.setString(1, "floe-new-table-" + Integer.toHexString(line.hashCode()));
        insert.setString(
            2,
            "{\"data-collections\": [\""
                + table.replace("\\", "\\\\").replace("\"", "\\\"")
                + "\"], \"type\": \"incremental\"}");
        insert.executeUpdate();
        LOG.info("Signalled an incremental snapshot of {}, added while the connector ran", table);
      }
    } catch (SQLException | RuntimeException e) {
      LOG.error(
          "Could not signal the incremental snapshot of {} (tables added while the connector"
              + " ran): their rows from before are not read. Insert the signal yourself"
              + " (docs/source-operations.md): {}",
          tables,
          e.getMessage());
    }
  }

  /**
   * {@code schema.table} as Debezium's signals name it, or null when Debezium cannot: it reads a
   * quoted name in a signal, but fails the task on it when it reads its incremental snapshot's
   * progress back from the offsets (seen with {@code "Audit Log"}), and an unquoted one with a
   * space or a dot is not a table name to it.
   */
  static String collectionName(TableId table) {
    return plain(table.schema()) && plain(table.table())
        ? table.schema() + "." + table.table()
        : null;
  }

  private static boolean plain(String identifier) {
    return identifier.matches("[A-Za-z_][A-Za-z0-9_]*");
  }
}
