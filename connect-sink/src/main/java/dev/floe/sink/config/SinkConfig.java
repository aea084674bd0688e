package dev.floe.sink.config;

import dev.floe.common.config.IcebergCatalogFragment;
import dev.floe.common.config.PrefixedProperties;
import dev.floe.sink.fill.FillSettings;
import dev.floe.sink.maintain.MaintenanceSettings;
import dev.floe.sink.route.PartitionSpecText;
import dev.floe.sink.schema.NumericMapping;
import dev.floe.sink.schema.TypeChangePolicy;
import dev.floe.sink.schema.UnavailableValues;
import dev.floe.sink.write.WriteMode;
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
  public static final String WRITE_MODE = "iceberg.tables.write-mode";
  public static final String EVOLVE_SCHEMA = "iceberg.tables.evolve-schema";
  public static final String TYPE_CHANGE_POLICY = "iceberg.tables.incompatible-type-change";
  public static final String UNCONSTRAINED_NUMERIC = "iceberg.tables.unconstrained-numeric";
  public static final String KEY_INDEX = "iceberg.tables.key-index";
  public static final String KEY_INDEX_MAX_BYTES = "iceberg.tables.key-index.max-bytes";
  public static final String POSITION_DELETES = "iceberg.tables.position-deletes";
  public static final String ROUTE_REGEX = "iceberg.tables.route-regex";
  public static final String ROUTE_REPLACEMENT = "iceberg.tables.route-replacement";
  public static final String UNAVAILABLE_PLACEHOLDER = "unavailable.value.placeholder";
  public static final String KEY_CHANGE_FILL_TIMEOUT_MS = "unavailable.value.key-change.timeout.ms";
  public static final String FILL_CACHE_MAX_BYTES = "unavailable.value.cache.max.bytes";

  /** Per-table settings: {@code iceberg.table.<namespace>.<table>.partition-by}. */
  public static final String TABLE_PREFIX = "iceberg.table.";

  public static final String PARTITION_BY_SUFFIX = ".partition-by";

  /** {@code iceberg.table.<namespace>.<table>.column-renames=old:new,...}: renames to follow. */
  public static final String COLUMN_RENAMES_SUFFIX = ".column-renames";

  /** Properties of the tables the sink creates: {@code iceberg.tables.properties.<key>}. */
  public static final String TABLE_PROPERTIES_PREFIX = "iceberg.tables.properties.";

  public static final String COMMIT_INTERVAL_MS = "commit.interval.ms";
  public static final String FLUSH_MAX_RECORDS = "flush.max.records";
  public static final String COMMIT_RETRY_TIMEOUT_MS = "commit.retry.timeout.ms";
  public static final String FLUSH_MAX_BYTES = "flush.max.bytes";

  public static final ConfigDef CONFIG_DEF = definition();

  public SinkConfig(Map<String, String> props) {
    super(CONFIG_DEF, props);
  }

  /** Accepts null or a pattern that compiles. */
  static final class RegexValidator implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      if (value != null) {
        try {
          java.util.regex.Pattern.compile((String) value);
        } catch (java.util.regex.PatternSyntaxException e) {
          throw new org.apache.kafka.common.config.ConfigException(
              name, value, "not a regular expression: " + e.getDescription());
        }
      }
    }

    @Override
    public String toString() {
      return "a Java regular expression";
    }
  }

  /** Accepts what {@link NumericMapping#parse} reads. */
  static final class NumericMappingValidator implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      try {
        NumericMapping.parse((String) value);
      } catch (IllegalArgumentException e) {
        throw new org.apache.kafka.common.config.ConfigException(name, value, e.getMessage());
      }
    }

    @Override
    public String toString() {
      return "string, double, decimal or decimal(P,S)";
    }
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
        Range.between(2, 3),
        Importance.LOW,
        "The Iceberg format version of tables the sink creates: 2 (merge-on-read) or 3. Rows of"
            + " earlier snapshots are deleted by position (iceberg.tables.position-deletes): in 2 as"
            + " file-scoped position delete files, in 3 as deletion vectors (one per data file,"
            + " merged). In 3, a column added in Postgres with a DEFAULT gets it as initial default,"
            + " so rows from before the ADD COLUMN read it, as in Postgres (in 2 they read null)."
            + " Every engine reads 2; check that yours reads 3 before choosing it.",
        TABLES_GROUP,
        3,
        Width.SHORT,
        "Format version");
    def.define(
        WRITE_MODE,
        Type.STRING,
        WriteMode.UPSERT.configName(),
        ConfigDef.ValidString.in("upsert", "soft-delete", "changelog"),
        Importance.HIGH,
        "How changes become rows. 'upsert': one row per key with its current state, a delete"
            + " removes it. 'soft-delete': one row per key, a delete keeps the row with its last state"
            + " and _floe_deleted=true. 'changelog': every change is a row of its own, with _floe_op,"
            + " _floe_lsn, _floe_commit_ts, _floe_kafka_partition and _floe_kafka_offset, for a"
            + " table's history. A delete without REPLICA IDENTITY FULL carries only the key: the"
            + " kept row's other columns come from the key's last state. Soft-delete and changelog"
            + " tables carry those _floe_ columns.",
        TABLES_GROUP,
        6,
        Width.SHORT,
        "Write mode");
    def.define(
        EVOLVE_SCHEMA,
        Type.BOOLEAN,
        true,
        Importance.MEDIUM,
        "Change a table's schema when its rows change shape, before writing them: a new column"
            + " becomes an optional column, a dropped one stays and becomes optional, a type Iceberg"
            + " can widen to is widened. A change Iceberg cannot represent is refused, naming the"
            + " column and both types. When false, every record whose shape the table cannot take"
            + " goes to the dead letter topic (or fails the task) with the reason.",
        TABLES_GROUP,
        7,
        Width.SHORT,
        "Evolve schema");
    def.define(
        TYPE_CHANGE_POLICY,
        Type.STRING,
        TypeChangePolicy.DEAD_LETTER.configName(),
        ConfigDef.ValidString.in("dead-letter", "fail", "new-column"),
        Importance.MEDIUM,
        "What a column type change Iceberg cannot represent (e.g. text to integer, a decimal's"
            + " scale) does; nothing is ever coerced or dropped in silence. 'dead-letter': each"
            + " record of the new type goes to the dead letter topic with the table, column and both"
            + " types (or fails the task when errors.tolerance is none). 'fail': the task fails with"
            + " that message whatever errors.tolerance says, until the table is fixed by hand."
            + " 'new-column': values of the new type go to a new optional column <column>__<type>"
            + " (e.g. code__int, price__decimal_12_4); the old column keeps its values and is null in"
            + " rows of the new type. Key columns and fields inside structs always follow"
            + " 'dead-letter' or 'fail'.",
        TABLES_GROUP,
        8,
        Width.SHORT,
        "Incompatible type change");
    def.define(
        UNCONSTRAINED_NUMERIC,
        Type.STRING,
        NumericMapping.DEFAULT.configName(),
        new NumericMappingValidator(),
        Importance.MEDIUM,
        "The Iceberg type of Postgres numeric columns declared without precision and scale, in"
            + " tables the sink creates. 'string' (the default): the exact text ('1.5', as Postgres"
            + " writes it, 'NaN', 'Infinity'), so every value, however many digits, is"
            + " kept as it is; cast it in queries (CAST(c AS DECIMAL(38, 10))). 'double': the"
            + " nearest double, NaN and infinities included (rounded: not for money). 'decimal'"
            + " (decimal(38,18), the mapping before this setting) or 'decimal(P,S)': exact, and a"
            + " value with more digits, or NaN, leaves the column null and its text in the row's"
            + " _floe_unrepresentable map, counted in values-kept-as-text-total. A table records"
            + " its mapping (table property floe.unconstrained-numeric) and keeps it for columns"
            + " added later; an existing column keeps its type. numeric(p,s) is always"
            + " decimal(p,s).",
        TABLES_GROUP,
        12,
        Width.SHORT,
        "Unconstrained numeric");
    def.define(
        ROUTE_REGEX,
        Type.STRING,
        null,
        new RegexValidator(),
        Importance.MEDIUM,
        "A regular expression matched against each event's source table, written"
            + " <schema>.<table>. When it matches, the Iceberg table is named by "
            + ROUTE_REPLACEMENT
            + " (with $1, $2 for groups) instead of <schema>_<table>: for example"
            + " 'public\\.orders_p\\d+' with 'public_orders' sends every partition of a"
            + " partitioned Postgres table to one Iceberg table. Tables named <schema>_<table>"
            + " belong to one source table (database, schema and table, recorded in the table"
            + " property floe.source-table): another database's table of the same name is"
            + " refused to the dead letter topic rather than mixed in; tables this regex names"
            + " may take several.",
        TABLES_GROUP,
        4,
        Width.LONG,
        "Route regex");
    def.define(
        ROUTE_REPLACEMENT,
        Type.STRING,
        null,
        Importance.MEDIUM,
        "The Iceberg table name (within the namespace) for source tables that match "
            + ROUTE_REGEX
            + "; may refer to the regex's groups as $1, $2.",
        TABLES_GROUP,
        5,
        Width.MEDIUM,
        "Route replacement");
    def.define(
        UNAVAILABLE_PLACEHOLDER,
        Type.STRING,
        UnavailableValues.DEBEZIUM_DEFAULT,
        new ConfigDef.NonEmptyString(),
        Importance.MEDIUM,
        "The source connector's unavailable.value.placeholder (Debezium's setting of the same name,"
            + " 'hex:' for bytes): what Debezium sends in place of a value Postgres did not send, an"
            + " unchanged TOASTed text, bytea, jsonb or array value in an update of a table without"
            + " REPLICA IDENTITY FULL. The sink recognizes it in every form Debezium gives it (text,"
            + " bytes, arrays, hstore maps) and fills the column from the row's last state: its"
            + " earlier change in the same flush, else the Iceberg table. Set it to the same value as"
            + " the source when you change it there.",
        TABLES_GROUP,
        9,
        Width.MEDIUM,
        "Unavailable value placeholder");
    def.define(
        KEY_CHANGE_FILL_TIMEOUT_MS,
        Type.LONG,
        60_000L,
        Range.atLeast(0),
        Importance.LOW,
        "How long the new row of a primary-key change that lacks unchanged TOASTed values waits for"
            + " the old key's last state, when the old key's changes are on another topic partition"
            + " owned by another task: the row is written once that task has committed the old key's"
            + " delete. Past this time its change goes to the dead letter topic naming the key (or"
            + " fails the task without one). With one partition per topic (Debezium's default) the"
            + " old key's state is always at hand and nothing waits. Keep it well below the"
            + " consumer's max.poll.interval.ms.",
        TABLES_GROUP,
        10,
        Width.SHORT,
        "Key change fill timeout (ms)");
    def.define(
        FILL_CACHE_MAX_BYTES,
        Type.LONG,
        64L * 1024 * 1024,
        Range.atLeast(0),
        Importance.LOW,
        "The memory each task keeps for the large (TOASTable: text, bytes, decimal, array, map,"
            + " struct) values it last committed, by key, least recently used first out: an update"
            + " whose unchanged TOASTed value must be filled takes it from here instead of reading"
            + " the table. 0 turns the cache off (every such fill reads the table).",
        TABLES_GROUP,
        11,
        Width.SHORT,
        "Fill cache (bytes)");
    def.define(
        KEY_INDEX,
        Type.BOOLEAN,
        true,
        Importance.LOW,
        "Keep an index of the keys each table holds, built from the table's key columns at the"
            + " first flush and kept in step with every commit: for a key of one int, bigint or"
            + " date column, where every live row is (16 bytes a slot, while all of the table fits"
            + " in half of key-index.max-bytes: exact, a deleted key is not held); else a Bloom"
            + " filter per table and task (about 1.2 bytes per key, with the smallest and largest"
            + " value of the first key column when it is a number or text). A row of a key the"
            + " table certainly does not hold is written without an equality delete, and its"
            + " earlier row is not looked for: an insert-mostly table leaves readers little to"
            + " join. False writes an equality delete for every key written.",
        TABLES_GROUP,
        12,
        Width.SHORT,
        "Key index");
    def.define(
        KEY_INDEX_MAX_BYTES,
        Type.LONG,
        dev.floe.sink.index.KeyIndexes.DEFAULT_MAX_BYTES,
        Range.atLeast(0),
        Importance.LOW,
        "The memory all of a task's key indexes may take together (about 2.4 bytes per row of a"
            + " table when built; a table that grows past twice that gets a larger filter beside"
            + " the full one rather than a read of all its keys, up to about 5 bytes per key"
            + " before it is built again as one). A table whose index would not fit has none: its"
            + " written keys get equality deletes (logged once per writer). For a table keyed by"
            + " one int, bigint or date column the index also keeps where each row the task wrote"
            + " is, so updates of those rows read nothing (about 21-43 bytes a key; all tables'"
            + " places together take at most half of this, forgotten and filled again when a"
            + " table outgrows it, and given up first when a filter needs the room).",
        TABLES_GROUP,
        13,
        Width.SHORT,
        "Key index memory (bytes)");
    def.define(
        POSITION_DELETES,
        Type.BOOLEAN,
        true,
        Importance.MEDIUM,
        "Delete the earlier row of an updated or deleted key by position: each flush finds the"
            + " rows in the table (reading the key columns of the data files whose bounds admit"
            + " the keys) and commits deletion vectors (format v3) or position deletes (v2), which"
            + " every engine reads cheaply. False deletes by equality instead: no read at the"
            + " flush, but readers join every data file against the deletes until compaction, and"
            + " some engines cannot read them at all.",
        TABLES_GROUP,
        14,
        Width.SHORT,
        "Position deletes");
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
    def.define(
        FLUSH_MAX_BYTES,
        Type.LONG,
        256L * 1024 * 1024,
        Range.atLeast(1024),
        Importance.MEDIUM,
        "The most memory, estimated from the buffered rows, a task's buffers may take before it"
            + " writes and commits early: the bound that holds when rows are wide (large text, JSON,"
            + " bytea). Give the worker's heap a few times this much.",
        COMMIT_GROUP,
        4,
        Width.SHORT,
        "Flush at bytes");
    def.define(
        COMMIT_RETRY_TIMEOUT_MS,
        Type.LONG,
        120_000L,
        Range.atLeast(0),
        Importance.MEDIUM,
        "How long a commit that fails for a passing reason (S3, the catalog or the network"
            + " unavailable, a lost commit race) is retried, with exponential backoff, before the task"
            + " fails. Nothing is committed partially meanwhile. Keep it below the consumer's"
            + " max.poll.interval.ms (5 minutes by default).",
        COMMIT_GROUP,
        3,
        Width.SHORT,
        "Commit retry timeout (ms)");
    return MaintenanceFragment.define(def);
  }

  /** Adds the cross-field problems to the per-key results of {@code ConfigDef.validate}. */
  public static void validate(Map<String, String> props, Map<String, ConfigValue> byKey) {
    if ((props.get(ROUTE_REGEX) == null) != (props.get(ROUTE_REPLACEMENT) == null)) {
      byKey
          .computeIfAbsent(ROUTE_REPLACEMENT, ConfigValue::new)
          .addErrorMessage("Set " + ROUTE_REGEX + " and " + ROUTE_REPLACEMENT + " together.");
    }
    props.forEach(
        (key, value) -> {
          String unknown = UnknownKeys.problem(key, CONFIG_DEF);
          if (unknown != null) {
            byKey.computeIfAbsent(key, ConfigValue::new).addErrorMessage(unknown);
          }
          if (key.startsWith(TABLE_PREFIX)
              && key.endsWith(COLUMN_RENAMES_SUFFIX)
              && !value.matches("\\s*\\w+\\s*:\\s*\\w+\\s*(,\\s*\\w+\\s*:\\s*\\w+\\s*)*")) {
            byKey
                .computeIfAbsent(key, ConfigValue::new)
                .addErrorMessage("Write the renames as old:new pairs, comma-separated: a:b,c:d.");
          }
          if (key.startsWith(TABLE_PREFIX) && key.endsWith(PARTITION_BY_SUFFIX)) {
            try {
              PartitionSpecText.parse(value);
            } catch (IllegalArgumentException e) {
              byKey
                  .computeIfAbsent(key, ConfigValue::new)
                  .addErrorMessage("Cannot read the partition spec: " + e.getMessage() + ".");
            }
          }
        });
    String ageProblem = MaintenanceFragment.snapshotAgeProblem(props);
    if (ageProblem != null) {
      byKey
          .computeIfAbsent(
              MaintenanceFragment.PREFIX + MaintenanceSettings.SNAPSHOT_MAX_AGE_MS,
              ConfigValue::new)
          .addErrorMessage(ageProblem);
    }
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

  /** The partition spec text for {@code table} ({@code namespace.name}), or null. */
  public String partitionBy(String table) {
    return originalsStrings().get(TABLE_PREFIX + table + PARTITION_BY_SUFFIX);
  }

  /**
   * The Postgres column renames to follow in {@code table} ({@code namespace.name}), new name to
   * old name; empty when none are configured (a rename is then a drop and an add).
   */
  public Map<String, String> columnRenames(String table) {
    String text = originalsStrings().get(TABLE_PREFIX + table + COLUMN_RENAMES_SUFFIX);
    Map<String, String> newToOld = new java.util.HashMap<>();
    if (text != null) {
      for (String pair : text.split(",")) {
        String[] names = pair.trim().split(":");
        if (names.length == 2) {
          newToOld.put(names[1].trim(), names[0].trim());
        }
      }
    }
    return newToOld;
  }

  /**
   * Properties for the tables the sink creates, with the mapping of their unconstrained numeric
   * columns ({@link NumericMapping#TABLE_PROPERTY}).
   */
  public Map<String, String> tableProperties() {
    Map<String, String> properties =
        new java.util.HashMap<>(
            PrefixedProperties.strip(originalsStrings(), TABLE_PROPERTIES_PREFIX));
    properties.put(
        NumericMapping.TABLE_PROPERTY,
        NumericMapping.parse(getString(UNCONSTRAINED_NUMERIC)).configName());
    return properties;
  }

  public boolean evolveSchema() {
    return getBoolean(EVOLVE_SCHEMA);
  }

  public TypeChangePolicy typeChangePolicy() {
    return TypeChangePolicy.parse(getString(TYPE_CHANGE_POLICY));
  }

  public WriteMode writeMode() {
    return WriteMode.parse(getString(WRITE_MODE));
  }

  public String routeRegex() {
    return getString(ROUTE_REGEX);
  }

  public String routeReplacement() {
    return getString(ROUTE_REPLACEMENT);
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

  public long commitRetryTimeoutMs() {
    return getLong(COMMIT_RETRY_TIMEOUT_MS);
  }

  public long flushMaxBytes() {
    return getLong(FLUSH_MAX_BYTES);
  }

  public int flushMaxRecords() {
    return getInt(FLUSH_MAX_RECORDS);
  }

  /** How values Postgres did not send are recognized and filled. */
  public dev.floe.sink.index.KeyIndexes keyIndexes() {
    return new dev.floe.sink.index.KeyIndexes(
        getBoolean(KEY_INDEX), getLong(KEY_INDEX_MAX_BYTES), getBoolean(POSITION_DELETES));
  }

  public MaintenanceSettings maintenance() {
    return MaintenanceFragment.settings(this);
  }

  public FillSettings fillSettings() {
    return new FillSettings(
        UnavailableValues.of(getString(UNAVAILABLE_PLACEHOLDER)),
        getLong(KEY_CHANGE_FILL_TIMEOUT_MS),
        getLong(FILL_CACHE_MAX_BYTES));
  }
}
