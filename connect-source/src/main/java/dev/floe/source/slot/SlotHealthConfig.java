package dev.floe.source.slot;

import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * Floe's settings for watching the replication slot: how often it is polled and how much retained
 * WAL is worth a warning. A fragment of the source connector's ConfigDef, beside Debezium's keys.
 */
public final class SlotHealthConfig extends AbstractConfig {
  public static final String GROUP = "Floe slot health";
  public static final String INTERVAL_MS = "floe.slot.health.interval.ms";
  public static final String WARN_BYTES = "floe.slot.retained-wal.warn-bytes";

  public SlotHealthConfig(Map<String, String> props) {
    super(define(new ConfigDef()), props);
  }

  /** Adds the slot-health keys to {@code def} and returns it. */
  public static ConfigDef define(ConfigDef def) {
    return def.define(
            INTERVAL_MS,
            Type.LONG,
            30_000L,
            ConfigDef.Range.atLeast(1_000L),
            Importance.MEDIUM,
            "How often, in milliseconds, the connector reads its replication slot from"
                + " pg_replication_slots to update the slot metrics (retained WAL, active, age of the"
                + " last confirmed flush) and to notice a slot that disappeared.",
            GROUP,
            1,
            ConfigDef.Width.SHORT,
            "Slot poll interval (ms)")
        .define(
            WARN_BYTES,
            Type.LONG,
            1024L * 1024 * 1024,
            ConfigDef.Range.atLeast(1L),
            Importance.MEDIUM,
            "The WAL, in bytes, the slot may hold back (pg_current_wal_lsn() minus the slot's"
                + " restart_lsn) before the connector logs a warning on each poll. A slot that holds"
                + " WAL keeps it on the database's disk; raise it for databases that write a lot"
                + " between heartbeats.",
            GROUP,
            2,
            ConfigDef.Width.SHORT,
            "Retained WAL warning (bytes)");
  }

  long intervalMs() {
    return getLong(INTERVAL_MS);
  }

  long warnBytes() {
    return getLong(WARN_BYTES);
  }
}
