package dev.floe.source.slot;

import dev.floe.source.config.SourceDatabase;
import io.debezium.connector.postgresql.connection.PostgresConnection;
import java.sql.SQLException;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.storage.OffsetStorageReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses to start a task whose replication slot is gone although the connector has streamed
 * before. Debezium would create a new slot and stream from its position, silently skipping every
 * change made between the last confirmed position and the new slot; Floe fails instead, saying how
 * to recover.
 */
public final class SlotLossCheck {
  private static final Logger LOG = LoggerFactory.getLogger(SlotLossCheck.class);

  private SlotLossCheck() {}

  /** Throws when the connector has committed offsets and its slot is missing or lost its WAL. */
  public static void verify(Map<String, String> config, OffsetStorageReader offsets) {
    String slotName = config.get("slot.name");
    String prefix = config.get("topic.prefix");
    if (Boolean.parseBoolean(config.getOrDefault("slot.drop.on.stop", "false"))) {
      return; // the user asked for a fresh slot on every start
    }
    // Debezium's source partition for Postgres: {"server": topic.prefix}
    Map<String, Object> committed = offsets.offset(Map.of("server", prefix));
    if (committed == null || committed.isEmpty()) {
      return; // first start: Debezium creates the slot, then snapshots
    }
    SlotStatus status;
    try (PostgresConnection connection = SourceDatabase.connect(config, "floe-slot-check")) {
      status = SlotStatus.read(connection, slotName);
    } catch (SQLException e) {
      // cannot tell: Debezium's own connection attempt reports an unreachable database
      LOG.warn("Could not check replication slot {} before start: {}", slotName, e.getMessage());
      return;
    }
    if (!status.exists()) {
      throw new ConnectException(explain(slotName, "does not exist", prefix));
    }
    if (status.lost()) {
      throw new ConnectException(
          explain(slotName, "has lost WAL it needed (wal_status=lost)", prefix));
    }
  }

  /** The message a person reads in the task's trace: what happened and the ways out. */
  static String explain(String slotName, String what, String prefix) {
    return "Replication slot '"
        + slotName
        + "' "
        + what
        + ", but this connector (topic.prefix '"
        + prefix
        + "') has streamed from it before: changes made since its last confirmed position may be"
        + " gone (the slot was dropped, or a failover promoted a server without it). Floe stops"
        + " rather than create a new slot and skip them. To recover with a full re-snapshot: PUT"
        + " /connectors/<name>/stop, DELETE /connectors/<name>/offsets, PUT /connectors/<name>/resume"
        + " (the sink folds the snapshot into its tables). If the slot exists under another name,"
        + " set slot.name to it.";
  }
}
