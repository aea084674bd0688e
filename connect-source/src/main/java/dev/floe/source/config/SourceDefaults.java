package dev.floe.source.config;

import dev.floe.source.control.ControlTables;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Debezium settings Floe uses unless the user sets them: each one is what the Iceberg sink
 * needs or what keeps a production database safe. A value the user gives always wins.
 */
public final class SourceDefaults {

  /** Debezium key → Floe default, in the order they are documented. */
  static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

  static {
    // pgoutput is built into Postgres 10+: nothing to install on the server.
    DEFAULTS.put("plugin.name", "pgoutput");
    DEFAULTS.put("slot.name", "floe_slot");
    DEFAULTS.put("publication.name", "floe_publication");
    // Floe creates the publication and keeps it to the captured tables, so other tables' WAL is not
    // decoded.
    DEFAULTS.put("publication.autocreate.mode", "filtered");
    // A partitioned table's changes arrive under its root's name, one ordered stream, partitions
    // attached later included: capture the root, not its leaves.
    DEFAULTS.put("publish.via.partition.root", "true");
    // Decimals as exact values (Iceberg decimal), never doubles.
    DEFAULTS.put("decimal.handling.mode", "precise");
    // Microsecond temporal types map one to one onto Iceberg's time and timestamp types.
    DEFAULTS.put("time.precision.mode", "adaptive_time_microseconds");
    // Iceberg has no interval type: ISO-8601 text keeps months, days and microseconds apart,
    // where Debezium's numeric form folds a month into 30 days.
    DEFAULTS.put("interval.handling.mode", "string");
    // A heartbeat lets the slot advance while captured tables are idle, so Postgres can recycle
    // WAL. With a filtered publication an idle database sends nothing to confirm, however much
    // WAL other databases write: the action query makes a published change on every heartbeat.
    DEFAULTS.put("heartbeat.interval.ms", "10000");
    DEFAULTS.put("heartbeat.action.query", ControlTables.HEARTBEAT_ACTION_QUERY);
    // Signals (incremental snapshots of tables added later) arrive through a table in the WAL.
    DEFAULTS.put("signal.data.collection", ControlTables.SIGNAL_TABLE);
    // Each window of an incremental snapshot deletes its watermark rows: the signal table stays
    // small.
    DEFAULTS.put("incremental.snapshot.watermarking.strategy", "insert_delete");
    DEFAULTS.put("incremental.snapshot.chunk.size", "4096");
    // Debezium 3.6's parallel snapshot ignores the exported snapshot: one thread keeps the seam
    // consistent.
    DEFAULTS.put("snapshot.max.threads", "1");
    DEFAULTS.put("snapshot.mode", "initial");
    // Debezium skips TRUNCATE unless told otherwise: a truncated Postgres table would keep all its
    // rows in Iceberg. The sink empties the table in order with the changes around it.
    DEFAULTS.put("skipped.operations", "none");
    // Debezium's context headers (connector name, logical name, task and run id) on every record:
    // nothing in Floe reads them, they were 40% of an Avro event's bytes on the topic, and without
    // them the sink's task used a fifth less CPU per event (docs/benchmarks.md). The headers of a
    // primary-key change's two halves are sent either way.
    DEFAULTS.put("extended.headers.enabled", "false");
    // NaN, infinities and -0.0 in real/double, infinity and BC dates, and numeric NaN reach the
    // sink exactly through any converter (docs/type-mapping.md); a user's own `converters` list
    // replaces it unless it names floe too.
    // types Debezium has no conversion for reach Floe's converter with their text from the WAL
    // (without it, null), which carries them as text (composite types, tsquery, pg_lsn, ...)
    DEFAULTS.put("include.unknown.datatypes", "true");
    DEFAULTS.put("converters", "floe");
    DEFAULTS.put("floe.type", "dev.floe.source.convert.SpecialValuesConverter");
  }

  private SourceDefaults() {}

  /**
   * The user's settings with Floe's defaults added for every key the user did not set. A Floe
   * default the user sets to an empty value is turned off, leaving Debezium's own ({@code
   * converters=} keeps Debezium's conversions, where Debezium would refuse an empty list). When the
   * heartbeat writes Floe's heartbeat table, that table is added to the include lists the user set,
   * because only a change to a published table lets the slot advance. With an Avro converter,
   * Debezium makes schema and field names valid Avro names unless the user chose otherwise.
   */
  public static Map<String, String> apply(Map<String, String> userProps) {
    Map<String, String> merged = new HashMap<>(DEFAULTS);
    merged.putAll(userProps);
    DEFAULTS.keySet().forEach(key -> merged.remove(key, ""));
    // Floe's converter writes the same placeholder Debezium does for values Postgres did not send
    String placeholder = merged.get("unavailable.value.placeholder");
    if (placeholder != null) {
      merged.putIfAbsent("floe.unavailable.value.placeholder", placeholder);
    }
    if (avro(merged.get("key.converter")) || avro(merged.get("value.converter"))) {
      // an Avro name is [A-Za-z_][A-Za-z0-9_]*: a table or column named otherwise fails the
      // converter; Debezium's avro mode replaces each other character with _ (docs/avro.md)
      merged.putIfAbsent("schema.name.adjustment.mode", "avro");
      merged.putIfAbsent("field.name.adjustment.mode", "avro");
    }
    if (ControlTables.HEARTBEAT_ACTION_QUERY.equals(merged.get("heartbeat.action.query"))) {
      appendTo(merged, "schema.include.list", ControlTables.SCHEMA);
      appendTo(merged, "table.include.list", ControlTables.HEARTBEAT_TABLE.replace(".", "\\."));
    }
    return merged;
  }

  private static boolean avro(String converter) {
    return converter != null && converter.trim().endsWith("AvroConverter");
  }

  private static void appendTo(Map<String, String> config, String key, String entry) {
    String list = config.get(key);
    if (list != null
        && !list.isBlank()
        && Arrays.stream(list.split(",")).map(String::trim).noneMatch(entry::equals)) {
      config.put(key, list + "," + entry);
    }
  }

  /** Whether a {@code converters} setting (after the defaults) includes Floe's converter. */
  public static boolean usesFloeConverter(String converters) {
    return converters != null && Arrays.asList(converters.split("\\s*,\\s*")).contains("floe");
  }

  /** The defaults, for documentation and tests. */
  public static Map<String, String> defaults() {
    return Map.copyOf(DEFAULTS);
  }
}
