package dev.floe.sink.maintain;

import dev.floe.sink.summary.CommitSummary;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.util.SnapshotUtil;

/**
 * Expires old snapshots (and the files only they held) without losing what exactly-once needs.
 * Every sink commit records the next offset of every partition the table holds, so the newest of
 * them is enough to resume from; the window kept is measured back from that commit, not from now,
 * which keeps also the commits it may have raced (their offsets are recorded one commit behind in
 * it). A table whose newest sink commit predates full offset records is left alone until the sink
 * commits to it again.
 */
final class SnapshotExpiry {
  private SnapshotExpiry() {}

  /** Expires what {@code settings} allows; the number of snapshots expired. */
  static int run(Table table, MaintenanceSettings settings, long nowMs) {
    Snapshot current = table.currentSnapshot();
    if (current == null) {
      return 0;
    }
    Snapshot newestSinkCommit = null;
    for (Snapshot snapshot : SnapshotUtil.ancestorsOf(current.snapshotId(), table::snapshot)) {
      if (CommitSummary.isSinkCommit(snapshot)) {
        newestSinkCommit = snapshot;
        break;
      }
    }
    if (newestSinkCommit != null && !CommitSummary.recordsEveryPartition(newestSinkCommit)) {
      return 0; // written before commits recorded every partition: its ancestors still count
    }
    long from =
        newestSinkCommit == null ? nowMs : Math.min(nowMs, newestSinkCommit.timestampMillis());
    long olderThan = from - settings.snapshotMaxAgeMs();
    int before = count(table);
    table
        .expireSnapshots()
        .expireOlderThan(olderThan)
        .retainLast(settings.snapshotsMinKeep())
        .commit();
    table.refresh();
    return Math.max(0, before - count(table));
  }

  private static int count(Table table) {
    int n = 0;
    for (Snapshot ignored : table.snapshots()) {
      n++;
    }
    return n;
  }
}
