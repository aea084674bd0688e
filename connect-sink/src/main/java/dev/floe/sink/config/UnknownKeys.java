package dev.floe.sink.config;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Keys in the sink's own namespaces ({@code iceberg.tables.*}, {@code iceberg.table.*}, {@code
 * iceberg.control.*}, ...) that it does not know. Connect passes any key through silently, so a
 * typo or a key of Apache Iceberg's sink would otherwise be ignored without a word: each is refused
 * at validation, and a key of Apache's sink is answered with Floe's equivalent, or why none is
 * needed (docs/migrating-from-apache-sink.md).
 */
final class UnknownKeys {
  private static final String TABLE_SUFFIXES =
      SinkConfig.PARTITION_BY_SUFFIX + " or " + SinkConfig.COLUMN_RENAMES_SUFFIX;

  /** Apache Iceberg sink key (or prefix, ending in '.') → what a Floe user writes instead. */
  private static final Map<String, String> APACHE = new LinkedHashMap<>();

  static {
    APACHE.put(
        "iceberg.tables",
        "Floe routes each source table to <namespace>.<schema>_<table>"
            + " by itself: set iceberg.tables.namespace, and iceberg.tables.route-regex/-replacement to"
            + " choose other names.");
    APACHE.put("iceberg.tables.dynamic-enabled", "Floe always routes by the event's source table.");
    APACHE.put(
        "iceberg.tables.route-field",
        "Floe routes by the event's source table (or topic):"
            + " use iceberg.tables.route-regex and iceberg.tables.route-replacement.");
    APACHE.put(
        "iceberg.tables.default-id-columns",
        "Floe keys each table by the record key (the" + " Postgres primary key).");
    APACHE.put(
        "iceberg.tables.default-partition-by",
        "use iceberg.table.<namespace>.<table>.partition-by for each table.");
    APACHE.put("iceberg.tables.default-commit-branch", "Floe commits to the main branch only.");
    APACHE.put("iceberg.tables.auto-create-enabled", "use iceberg.tables.auto-create.");
    APACHE.put("iceberg.tables.evolve-schema-enabled", "use iceberg.tables.evolve-schema.");
    APACHE.put(
        "iceberg.tables.schema-force-optional",
        "Floe makes every column but the key" + " optional already.");
    APACHE.put(
        "iceberg.tables.schema-case-insensitive",
        "Floe matches columns by their exact" + " Postgres names.");
    APACHE.put(
        "iceberg.tables.upsert-mode-enabled",
        "use iceberg.tables.write-mode (upsert, the" + " default, soft-delete or changelog).");
    APACHE.put("iceberg.tables.cdc-field", "Floe reads Debezium's op field itself.");
    APACHE.put("iceberg.tables.auto-create-props.", "use iceberg.tables.properties.<property>.");
    APACHE.put(
        "iceberg.tables.write-props.",
        "use iceberg.tables.properties.<property> (write.*" + " properties are table properties).");
    APACHE.put("iceberg.control.commit.interval-ms", "use commit.interval.ms.");
    APACHE.put("iceberg.control.commit.timeout-ms", "use commit.retry.timeout.ms.");
    APACHE.put(
        "iceberg.control.",
        "Floe has no control topic and no coordinator: each task commits"
            + " its own snapshots, fenced by the offsets they record.");
    APACHE.put("iceberg.catalog", "name the catalog with iceberg.catalog-name.");
    APACHE.put(
        "iceberg.kafka.",
        "Floe needs no Kafka client settings of its own (no control" + " topic).");
    APACHE.put("iceberg.coordinator.", "Floe has no coordinator.");
  }

  private UnknownKeys() {}

  /** The problem with {@code key}, or null when the sink knows it (or it is not the sink's). */
  static String problem(String key, ConfigDef def) {
    if (def.configKeys().containsKey(key)
        || key.startsWith(SinkConfig.TABLE_PROPERTIES_PREFIX)
        || key.startsWith(dev.floe.common.config.IcebergCatalogFragment.PREFIX)) {
      return null;
    }
    for (Map.Entry<String, String> apache : APACHE.entrySet()) {
      String known = apache.getKey();
      if (known.endsWith(".") ? key.startsWith(known) : key.equals(known)) {
        return key
            + " is a setting of Apache Iceberg's sink, which Floe does not read: "
            + apache.getValue();
      }
    }
    if (key.startsWith(SinkConfig.TABLE_PREFIX)) {
      if (key.endsWith(SinkConfig.PARTITION_BY_SUFFIX)
          || key.endsWith(SinkConfig.COLUMN_RENAMES_SUFFIX)) {
        return null;
      }
      if (key.endsWith(".id-columns")) {
        return key
            + " is a setting of Apache Iceberg's sink: Floe keys each table by the record"
            + " key (the Postgres primary key).";
      }
      return key
          + " is not a Floe setting: per-table settings are iceberg.table.<namespace>."
          + "<table>"
          + TABLE_SUFFIXES
          + ".";
    }
    if (key.startsWith("iceberg.tables.") || key.startsWith("iceberg.maintenance.")) {
      return key
          + " is not a Floe setting; see docs/configuration.md for the sink's settings"
          + " (a misspelt key would be ignored).";
    }
    return null;
  }
}
