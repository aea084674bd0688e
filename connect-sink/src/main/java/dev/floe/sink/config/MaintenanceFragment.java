package dev.floe.sink.config;

import dev.floe.sink.maintain.MaintenanceSettings;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

/**
 * The sink's table maintenance settings, {@value #PREFIX}{@code <setting>}: defaults for every
 * table, each overridable per table by the table property {@code floe.maintenance.<setting>}.
 */
final class MaintenanceFragment {
  static final String GROUP = "Maintenance";
  static final String PREFIX = "iceberg.maintenance.";
  private static final String PER_TABLE =
      " A table's property floe.maintenance.%s overrides it for that table.";

  private MaintenanceFragment() {}

  static ConfigDef define(ConfigDef def) {
    MaintenanceSettings d = MaintenanceSettings.DEFAULT;
    add(
        def,
        MaintenanceSettings.ENABLED,
        Type.BOOLEAN,
        d.enabled(),
        null,
        1,
        "Maintain tables",
        "Whether the sink maintains its tables (compaction, snapshot expiry, manifest rewrite),"
            + " one task per table. Turn it off when another engine maintains them; see"
            + " docs/maintenance.md for what Floe's exactly-once state needs from it.");
    add(
        def,
        MaintenanceSettings.INTERVAL_MS,
        Type.LONG,
        d.intervalMs(),
        Range.atLeast(1_000),
        2,
        "Maintenance interval (ms)",
        "How often a table's maintenance runs.");
    add(
        def,
        MaintenanceSettings.COMPACTION,
        Type.BOOLEAN,
        d.compaction(),
        null,
        3,
        "Compact",
        "Whether maintenance rewrites the table's data files with their deletes applied, leaving"
            + " no delete file for readers to join.");
    add(
        def,
        MaintenanceSettings.COMPACTION_MIN_DELETE_FILES,
        Type.INT,
        d.compactionMinDeleteFiles(),
        Range.atLeast(1),
        4,
        "Compact at delete files",
        "Delete files that make a compaction due.");
    add(
        def,
        MaintenanceSettings.COMPACTION_MIN_SMALL_FILES,
        Type.INT,
        d.compactionMinSmallFiles(),
        Range.atLeast(2),
        5,
        "Compact at small files",
        "Data files smaller than three quarters of write.target-file-size-bytes that make a"
            + " compaction due.");
    add(
        def,
        MaintenanceSettings.COMPACTION_MAX_BYTES,
        Type.LONG,
        d.compactionMaxBytes(),
        Range.atLeast(0),
        6,
        "Compact up to (bytes)",
        "The largest table, in data bytes, the sink compacts: its deletes reach every partition,"
            + " so a compaction rewrites the whole table. Larger tables are left to Spark or Trino"
            + " (each skipped run is logged).");
    add(
        def,
        MaintenanceSettings.EXPIRE_SNAPSHOTS,
        Type.BOOLEAN,
        d.expireSnapshots(),
        null,
        7,
        "Expire snapshots",
        "Whether maintenance expires old snapshots and deletes the files only they reference.");
    add(
        def,
        MaintenanceSettings.SNAPSHOT_MAX_AGE_MS,
        Type.LONG,
        d.snapshotMaxAgeMs(),
        Range.atLeast(MaintenanceSettings.MIN_SNAPSHOT_AGE_MS),
        8,
        "Snapshot age (ms)",
        "How long snapshots are kept, counted back from the sink's newest commit to the table:"
            + " time travel reaches this far. At least a minute, and longer than"
            + " commit.retry.timeout.ms and unavailable.value.key-change.timeout.ms.");
    add(
        def,
        MaintenanceSettings.SNAPSHOTS_MIN_KEEP,
        Type.INT,
        d.snapshotsMinKeep(),
        Range.atLeast(1),
        9,
        "Snapshots kept",
        "Snapshots always kept, however old.");
    add(
        def,
        MaintenanceSettings.REWRITE_MANIFESTS,
        Type.BOOLEAN,
        d.rewriteManifests(),
        null,
        10,
        "Rewrite manifests",
        "Whether maintenance merges a table's manifests when there are many.");
    add(
        def,
        MaintenanceSettings.REWRITE_MANIFESTS_MIN_COUNT,
        Type.INT,
        d.rewriteManifestsMinCount(),
        Range.atLeast(2),
        11,
        "Rewrite at manifests",
        "Manifests that make a manifest rewrite due.");
    add(
        def,
        MaintenanceSettings.ORPHAN_FILES,
        Type.BOOLEAN,
        d.orphanFiles(),
        null,
        12,
        "Delete orphan files",
        "Whether maintenance deletes the files under a table's location that no snapshot, manifest"
            + " or metadata file references (left by a worker killed mid-flush or mid-compaction)"
            + " once they are older than orphan-files.min-age.ms. Needs a FileIO that lists (S3,"
            + " Hadoop, GCS, ADLS); skipped otherwise.");
    add(
        def,
        MaintenanceSettings.ORPHAN_MIN_AGE_MS,
        Type.LONG,
        d.orphanMinAgeMs(),
        Range.atLeast(MaintenanceSettings.MIN_ORPHAN_AGE_MS),
        13,
        "Orphan file age (ms)",
        "How old an unreferenced file must be before maintenance deletes it: younger files may"
            + " belong to a commit still under way (this sink's, or another engine's). At least one"
            + " hour; 3 days by default, as Spark's remove_orphan_files.");
    add(
        def,
        MaintenanceSettings.ORPHAN_INTERVAL_MS,
        Type.LONG,
        d.orphanIntervalMs(),
        Range.atLeast(0),
        14,
        "Orphan file interval (ms)",
        "How often a table's orphan files are looked for: at its first maintenance run after a"
            + " task starts, then at the first run this long after the last look. A look reads"
            + " the manifests of every snapshot kept and lists the table's location, which on a"
            + " busy table costs more than the rest of a run: once a day by default.");
    return def;
  }

  /**
   * Snapshots must outlive what may still read or count on them: a commit's retries (a commit that
   * races another records the other's offsets one commit behind until its next commit) and a fill
   * waiting for another task's key change (it reads the snapshot before the change).
   */
  static String snapshotAgeProblem(Map<String, String> props) {
    String key = PREFIX + MaintenanceSettings.SNAPSHOT_MAX_AGE_MS;
    long maxAge = number(props, key, MaintenanceSettings.DEFAULT.snapshotMaxAgeMs());
    long retries = number(props, SinkConfig.COMMIT_RETRY_TIMEOUT_MS, 120_000L);
    long keyChange = number(props, SinkConfig.KEY_CHANGE_FILL_TIMEOUT_MS, 60_000L);
    if (maxAge > retries && maxAge > keyChange) {
      return null;
    }
    return String.format(
        "%s (%d ms) must be longer than %s (%d ms) and %s (%d ms): a snapshot expired sooner may"
            + " still be needed by a commit being retried or a fill waiting for a key change."
            + " Raise %s, or lower the others.",
        key,
        maxAge,
        SinkConfig.COMMIT_RETRY_TIMEOUT_MS,
        retries,
        SinkConfig.KEY_CHANGE_FILL_TIMEOUT_MS,
        keyChange,
        key);
  }

  private static long number(Map<String, String> props, String key, long otherwise) {
    try {
      return props.containsKey(key) ? Long.parseLong(props.get(key).trim()) : otherwise;
    } catch (NumberFormatException e) {
      return otherwise; // ConfigDef reports it
    }
  }

  static MaintenanceSettings settings(AbstractConfig config) {
    return new MaintenanceSettings(
        config.getBoolean(PREFIX + MaintenanceSettings.ENABLED),
        config.getLong(PREFIX + MaintenanceSettings.INTERVAL_MS),
        config.getBoolean(PREFIX + MaintenanceSettings.COMPACTION),
        config.getInt(PREFIX + MaintenanceSettings.COMPACTION_MIN_DELETE_FILES),
        config.getInt(PREFIX + MaintenanceSettings.COMPACTION_MIN_SMALL_FILES),
        config.getLong(PREFIX + MaintenanceSettings.COMPACTION_MAX_BYTES),
        config.getBoolean(PREFIX + MaintenanceSettings.EXPIRE_SNAPSHOTS),
        config.getLong(PREFIX + MaintenanceSettings.SNAPSHOT_MAX_AGE_MS),
        config.getInt(PREFIX + MaintenanceSettings.SNAPSHOTS_MIN_KEEP),
        config.getBoolean(PREFIX + MaintenanceSettings.REWRITE_MANIFESTS),
        config.getInt(PREFIX + MaintenanceSettings.REWRITE_MANIFESTS_MIN_COUNT),
        config.getBoolean(PREFIX + MaintenanceSettings.ORPHAN_FILES),
        config.getLong(PREFIX + MaintenanceSettings.ORPHAN_MIN_AGE_MS),
        config.getLong(PREFIX + MaintenanceSettings.ORPHAN_INTERVAL_MS));
  }

  private static void add(
      ConfigDef def,
      String setting,
      Type type,
      Object defaultValue,
      ConfigDef.Validator validator,
      int order,
      String display,
      String doc) {
    def.define(
        PREFIX + setting,
        type,
        defaultValue,
        validator,
        Importance.LOW,
        doc + String.format(PER_TABLE, setting),
        GROUP,
        order,
        Width.SHORT,
        display);
  }
}
