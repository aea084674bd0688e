package dev.floe.sink.config;

import dev.floe.common.config.IcebergCatalogFragment;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigValue;

/**
 * Every setting of {@code IcebergCdcSinkConnector}: one documented ConfigDef built from the shared
 * fragments, and the cross-field rules in {@link #validate}.
 */
public final class SinkConfig extends AbstractConfig {
  public static final String TABLES_GROUP = "Tables";
  public static final String COMMIT_GROUP = "Commit";

  public static final String NAMESPACE = "iceberg.tables.namespace";
  public static final String AUTO_CREATE = "iceberg.tables.auto-create";
  public static final String FORMAT_VERSION = "iceberg.tables.format-version";
  public static final String COMMIT_INTERVAL_MS = "commit.interval.ms";
  public static final String FLUSH_MAX_RECORDS = "flush.max.records";

  public static final ConfigDef CONFIG_DEF = definition();

  public SinkConfig(Map<String, String> props) {
    super(CONFIG_DEF, props);
  }

  private static ConfigDef definition() {
    ConfigDef def = IcebergCatalogFragment.define(new ConfigDef());
    def.define(
        NAMESPACE,
        Type.STRING,
        "cdc",
        new ConfigDef.NonEmptyString(),
        Importance.HIGH,
        "The Iceberg namespace that receives the tables. A change event of Postgres table "
            + "<schema>.<table> is applied to <namespace>.<schema>_<table>.",
        TABLES_GROUP,
        1,
        Width.MEDIUM,
        "Namespace");
    def.define(
        AUTO_CREATE,
        Type.BOOLEAN,
        true,
        Importance.MEDIUM,
        "Create a missing table from the first change event's schema, with the record key's columns as "
            + "identifier fields. When false, a missing table fails the task with the table's name.",
        TABLES_GROUP,
        2,
        Width.SHORT,
        "Create tables");
    def.define(
        FORMAT_VERSION,
        Type.INT,
        2,
        Range.between(2, 2),
        Importance.LOW,
        "The Iceberg format version of tables the sink creates. Version 2 (merge-on-read with position and "
            + "equality deletes) is supported.",
        TABLES_GROUP,
        3,
        Width.SHORT,
        "Format version");
    def.define(
        COMMIT_INTERVAL_MS,
        Type.LONG,
        10_000L,
        Range.atLeast(100),
        Importance.HIGH,
        "How often, in milliseconds, buffered changes are written and committed: each table gets one "
            + "snapshot per interval. Lower means fresher tables and more, smaller files.",
        COMMIT_GROUP,
        1,
        Width.SHORT,
        "Commit interval (ms)");
    def.define(
        FLUSH_MAX_RECORDS,
        Type.INT,
        100_000,
        Range.atLeast(1),
        Importance.MEDIUM,
        "The most change events a task buffers before it writes and commits early, whatever the interval, "
            + "so memory stays bounded during a backlog.",
        COMMIT_GROUP,
        2,
        Width.SHORT,
        "Flush at records");
    return def;
  }

  /** Adds the cross-field problems to the per-key results of {@code ConfigDef.validate}. */
  public static void validate(Map<String, String> props, Map<String, ConfigValue> byKey) {
    String catalogProblem = IcebergCatalogFragment.problem(props);
    if (catalogProblem != null) {
      byKey
          .computeIfAbsent(IcebergCatalogFragment.TYPE, ConfigValue::new)
          .addErrorMessage(catalogProblem);
    }
  }

  public Map<String, String> catalogProperties() {
    return IcebergCatalogFragment.catalogProperties(originalsStrings());
  }

  public String catalogName() {
    return getString(IcebergCatalogFragment.NAME);
  }

  public String namespace() {
    return getString(NAMESPACE);
  }

  public boolean autoCreate() {
    return getBoolean(AUTO_CREATE);
  }

  public int formatVersion() {
    return getInt(FORMAT_VERSION);
  }

  public long commitIntervalMs() {
    return getLong(COMMIT_INTERVAL_MS);
  }

  public int flushMaxRecords() {
    return getInt(FLUSH_MAX_RECORDS);
  }
}
