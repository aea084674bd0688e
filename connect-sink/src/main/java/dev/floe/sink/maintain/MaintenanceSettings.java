package dev.floe.sink.maintain;

import java.util.Map;

/**
 * How the sink keeps a table healthy: when it compacts, expires snapshots and rewrites manifests.
 * The connector sets the defaults ({@code iceberg.maintenance.*}); a table overrides any of them
 * with a table property of the same name under {@value #TABLE_PROPERTY_PREFIX} (set with Spark,
 * Trino or the catalog's API), so one table can run its own maintenance while the rest use Floe's.
 *
 * @param enabled whether the sink maintains the table at all
 * @param intervalMs how often maintenance runs for one table
 * @param compaction whether data files are rewritten with their deletes applied
 * @param compactionMinDeleteFiles delete files that make a compaction due
 * @param compactionMinSmallFiles data files under three quarters of the target size that make a
 *     compaction due
 * @param compactionMaxBytes the largest table (data bytes) the sink compacts: a compaction rewrites
 *     the whole table, which for larger ones is work for Spark or Trino
 * @param expireSnapshots whether snapshots older than {@code snapshotMaxAgeMs} are expired
 * @param snapshotMaxAgeMs how long a snapshot is kept (time travel reaches this far back)
 * @param snapshotsMinKeep snapshots always kept, however old
 * @param rewriteManifests whether manifests are merged when there are many
 * @param rewriteManifestsMinCount manifests that make a rewrite due
 * @param orphanFiles whether files under the table's location that nothing references are deleted
 * @param orphanMinAgeMs how old an unreferenced file must be before it is deleted: younger ones may
 *     belong to a commit still under way
 * @param orphanIntervalMs how often the orphan files are looked for: the look reads every
 *     snapshot's manifests and lists the table's location, work for a day, not for every run
 */
public record MaintenanceSettings(
    boolean enabled,
    long intervalMs,
    boolean compaction,
    int compactionMinDeleteFiles,
    int compactionMinSmallFiles,
    long compactionMaxBytes,
    boolean expireSnapshots,
    long snapshotMaxAgeMs,
    int snapshotsMinKeep,
    boolean rewriteManifests,
    int rewriteManifestsMinCount,
    boolean orphanFiles,
    long orphanMinAgeMs,
    long orphanIntervalMs) {
  public static final String TABLE_PROPERTY_PREFIX = "floe.maintenance.";
  public static final String ENABLED = "enabled";
  public static final String INTERVAL_MS = "interval.ms";
  public static final String COMPACTION = "compaction.enabled";
  public static final String COMPACTION_MIN_DELETE_FILES = "compaction.min-delete-files";
  public static final String COMPACTION_MIN_SMALL_FILES = "compaction.min-small-files";
  public static final String COMPACTION_MAX_BYTES = "compaction.max-bytes";
  public static final String EXPIRE_SNAPSHOTS = "expire-snapshots.enabled";
  public static final String SNAPSHOT_MAX_AGE_MS = "expire-snapshots.max-age.ms";
  public static final String SNAPSHOTS_MIN_KEEP = "expire-snapshots.min-keep";
  public static final String REWRITE_MANIFESTS = "rewrite-manifests.enabled";
  public static final String REWRITE_MANIFESTS_MIN_COUNT = "rewrite-manifests.min-count";
  public static final String ORPHAN_FILES = "orphan-files.enabled";
  public static final String ORPHAN_MIN_AGE_MS = "orphan-files.min-age.ms";
  public static final String ORPHAN_INTERVAL_MS = "orphan-files.interval.ms";

  /**
   * The least an unreferenced file is left alone, whatever a table property says: a flush, a
   * compaction or another engine's commit writes its files before the commit that references them.
   */
  public static final long MIN_ORPHAN_AGE_MS = 3_600_000L;

  /**
   * The least a snapshot is kept, whatever a table property says: a fill of a value Postgres did
   * not send may read the snapshot before a key change for up to its timeout, and a commit that
   * races another records the other's offsets one commit behind until its next commit (the
   * connector's settings are checked against both at validation).
   */
  public static final long MIN_SNAPSHOT_AGE_MS = 60_000L;

  private static final long DEFAULT_ORPHAN_MIN_AGE_MS = 3L * 24 * 3_600_000L;
  private static final long DEFAULT_ORPHAN_INTERVAL_MS = 24 * 3_600_000L;

  public static final MaintenanceSettings DEFAULT =
      new MaintenanceSettings(
          true,
          600_000L,
          true,
          20,
          20,
          16L << 30,
          true,
          3_600_000L,
          10,
          true,
          50,
          true,
          DEFAULT_ORPHAN_MIN_AGE_MS,
          DEFAULT_ORPHAN_INTERVAL_MS);

  /** Settings without orphan-file cleanup (tests, benchmarks, tools). */
  public MaintenanceSettings(
      boolean enabled,
      long intervalMs,
      boolean compaction,
      int compactionMinDeleteFiles,
      int compactionMinSmallFiles,
      long compactionMaxBytes,
      boolean expireSnapshots,
      long snapshotMaxAgeMs,
      int snapshotsMinKeep,
      boolean rewriteManifests,
      int rewriteManifestsMinCount) {
    this(
        enabled,
        intervalMs,
        compaction,
        compactionMinDeleteFiles,
        compactionMinSmallFiles,
        compactionMaxBytes,
        expireSnapshots,
        snapshotMaxAgeMs,
        snapshotsMinKeep,
        rewriteManifests,
        rewriteManifestsMinCount,
        false,
        DEFAULT_ORPHAN_MIN_AGE_MS,
        DEFAULT_ORPHAN_INTERVAL_MS);
  }

  /** These settings, with what the table's properties say in their place. */
  public MaintenanceSettings forTable(Map<String, String> properties) {
    return new MaintenanceSettings(
        flag(properties, ENABLED, enabled),
        Math.max(1_000L, number(properties, INTERVAL_MS, intervalMs)),
        flag(properties, COMPACTION, compaction),
        (int) number(properties, COMPACTION_MIN_DELETE_FILES, compactionMinDeleteFiles),
        (int) number(properties, COMPACTION_MIN_SMALL_FILES, compactionMinSmallFiles),
        number(properties, COMPACTION_MAX_BYTES, compactionMaxBytes),
        flag(properties, EXPIRE_SNAPSHOTS, expireSnapshots),
        Math.max(MIN_SNAPSHOT_AGE_MS, number(properties, SNAPSHOT_MAX_AGE_MS, snapshotMaxAgeMs)),
        Math.max(1, (int) number(properties, SNAPSHOTS_MIN_KEEP, snapshotsMinKeep)),
        flag(properties, REWRITE_MANIFESTS, rewriteManifests),
        (int) number(properties, REWRITE_MANIFESTS_MIN_COUNT, rewriteManifestsMinCount),
        flag(properties, ORPHAN_FILES, orphanFiles),
        Math.max(MIN_ORPHAN_AGE_MS, number(properties, ORPHAN_MIN_AGE_MS, orphanMinAgeMs)),
        Math.max(0, number(properties, ORPHAN_INTERVAL_MS, orphanIntervalMs)));
  }

  private static boolean flag(Map<String, String> properties, String key, boolean otherwise) {
    String value = properties.get(TABLE_PROPERTY_PREFIX + key);
    return value == null ? otherwise : Boolean.parseBoolean(value.trim());
  }

  /** A table property that does not parse is ignored: a typo must not stop the table's commits. */
  private static long number(Map<String, String> properties, String key, long otherwise) {
    String value = properties.get(TABLE_PROPERTY_PREFIX + key);
    try {
      return value == null ? otherwise : Long.parseLong(value.trim());
    } catch (NumberFormatException typo) {
      return otherwise;
    }
  }
}
