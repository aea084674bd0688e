package dev.floe.sink.maintain;

import dev.floe.sink.summary.CommitSummary;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.ValidationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One maintenance run of one table, in the order that leaves the least behind: compaction (which
 * leaves the old files to expiry), then manifests, then expiry of old snapshots and their files,
 * then the files nothing references (orphans).
 */
public final class MaintenanceRun {
  private static final Logger LOG = LoggerFactory.getLogger(MaintenanceRun.class);
  private final Table table;
  private final MaintenanceSettings settings;
  private Compaction.Outcome compaction;
  private boolean lostRace;
  private int snapshotsExpired;
  private int orphansDeleted;
  private boolean lookedForOrphans;
  private RuntimeException failure;

  private final boolean orphansDue;

  /**
   * @param orphansDue whether this run looks for orphan files, if the settings have it do so: the
   *     look has a cadence of its own ({@code orphan-files.interval.ms})
   */
  MaintenanceRun(Table table, MaintenanceSettings settings, boolean orphansDue) {
    this.table = table;
    this.settings = settings;
    this.orphansDue = orphansDue;
  }

  /** A run of {@code table}'s maintenance as {@code settings} say (benchmarks, tools). */
  public static MaintenanceRun of(Table table, MaintenanceSettings settings) {
    return new MaintenanceRun(table, settings, true);
  }

  static MaintenanceRun failed(RuntimeException failure) {
    MaintenanceRun run = new MaintenanceRun(null, null, false);
    run.failure = failure;
    return run;
  }

  /** Runs what is due; the table's files as the run found them. */
  public TableFiles run(long nowMs) {
    table.refresh();
    Snapshot current = table.currentSnapshot();
    if (current == null) {
      return null;
    }
    TableFiles before = TableFiles.of(table, current);
    boolean due = Compaction.due(table, before, settings);
    if (due && before.dataBytes() > settings.compactionMaxBytes()) {
      due = false;
      LOG.info(
          "Not compacting {}: its {} data bytes exceed {}{} (a compaction rewrites the whole"
              + " table); leaving it to another engine",
          table.name(),
          before.dataBytes(),
          MaintenanceSettings.TABLE_PROPERTY_PREFIX,
          MaintenanceSettings.COMPACTION_MAX_BYTES);
    }
    if (due) {
      try {
        compaction = new Compaction(table).run(before);
        LOG.info(
            "Compacted {}: {} data and {} delete files into {} data files",
            table.name(),
            compaction.filesBefore(),
            compaction.deleteFilesBefore(),
            compaction.filesAfter());
      } catch (ValidationException | CommitFailedException race) {
        lostRace = true; // a commit touched the same files first: the next run tries again
        LOG.info(
            "Compaction of {} lost a race and runs again later: {}",
            table.name(),
            race.getMessage());
      }
      table.refresh();
    }
    if (settings.rewriteManifests()
        && table.currentSnapshot().allManifests(table.io()).size()
            >= Math.max(2, settings.rewriteManifestsMinCount())) {
      table
          .rewriteManifests()
          .clusterBy(file -> "all")
          .set(CommitSummary.MAINTENANCE, "manifests")
          .commit();
      table.refresh();
    }
    if (settings.expireSnapshots()) {
      snapshotsExpired = SnapshotExpiry.run(table, settings, nowMs);
    }
    if (settings.orphanFiles() && orphansDue) {
      orphansDeleted = OrphanFiles.run(table, settings.orphanMinAgeMs(), nowMs);
      lookedForOrphans = true;
    }
    return before;
  }

  /** Whether the run compacted the table. */
  public boolean compacted() {
    return compaction != null && compaction.rewrote();
  }

  public boolean lostRace() {
    return lostRace;
  }

  public int snapshotsExpired() {
    return snapshotsExpired;
  }

  public int orphansDeleted() {
    return orphansDeleted;
  }

  /** Whether the run looked for orphan files (due once per orphan interval). */
  public boolean lookedForOrphans() {
    return lookedForOrphans;
  }

  /** What stopped the run, or null. */
  public RuntimeException failure() {
    return failure;
  }
}
