package dev.floe.bench;

import dev.floe.sink.summary.CommitSummary;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotSummary;
import org.apache.iceberg.Table;

/**
 * The control after a trial: the table holds what the benchmark handed in. A benchmark whose writes
 * were skipped (replayed offsets, say) or lost would otherwise just look fast.
 */
final class WrittenCheck {
  private WrittenCheck() {}

  /** Floe's snapshots record how many change events each applied: they must add up. */
  static void eventsCommitted(Table table, long expected) {
    table.refresh();
    long committed = 0;
    for (Snapshot snapshot : table.snapshots()) {
      committed += CommitSummary.events(snapshot);
    }
    require(table, "change events committed", committed, expected);
  }

  /** An append-only table holds every row appended. */
  static void rowsAppended(Table table, long expected) {
    table.refresh();
    Snapshot current = table.currentSnapshot();
    long rows =
        current == null
            ? 0
            : Long.parseLong(current.summary().get(SnapshotSummary.TOTAL_RECORDS_PROP));
    require(table, "rows", rows, expected);
  }

  private static void require(Table table, String what, long actual, long expected) {
    if (actual != expected) {
      throw new IllegalStateException(
          table.name() + " holds " + actual + " " + what + ", the benchmark wrote " + expected);
    }
  }
}
