package dev.floe.source.capture;

import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * Floe's setting for capturing tables created while the connector runs. A fragment of the source
 * connector's ConfigDef, beside Debezium's keys.
 */
public final class NewTableConfig extends AbstractConfig {
  public static final String GROUP = "Floe new tables";
  public static final String INTERVAL_MS = "floe.new-tables.interval.ms";

  public NewTableConfig(Map<String, String> props) {
    super(define(new ConfigDef()), props);
  }

  /** Adds the new-table key to {@code def} and returns it. */
  public static ConfigDef define(ConfigDef def) {
    return def.define(
        INTERVAL_MS,
        Type.LONG,
        30_000L,
        ConfigDef.Range.atLeast(0L),
        Importance.MEDIUM,
        "How often, in milliseconds, the connector looks for tables that its include and exclude"
            + " lists capture but its filtered publication does not hold: tables created (CREATE"
            + " TABLE in a captured schema) while it runs, which Postgres would not send until the"
            + " next restart, and whose rows from before that would never be read. Each one found"
            + " is added to the publication and read once by an incremental snapshot (a signal"
            + " row), while its changes stream. 0 turns it off (then restart the connector and"
            + " signal a snapshot yourself, docs/source-operations.md). Only with"
            + " publication.autocreate.mode=filtered: with all_tables Postgres adds new tables"
            + " itself, and a publication the connector does not manage is left alone.",
        GROUP,
        1,
        ConfigDef.Width.SHORT,
        "New table check interval (ms)");
  }

  long intervalMs() {
    return getLong(INTERVAL_MS);
  }
}
