package dev.floe.sink.commit;

import dev.floe.sink.event.RecordCoordinates;
import dev.floe.sink.summary.CommitSummary;
import java.util.HashMap;
import java.util.Map;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.util.SnapshotUtil;
import org.apache.kafka.common.TopicPartition;

/**
 * Which Kafka offsets each table already holds, as recorded in the snapshot summaries this
 * connector wrote: the source of truth for exactly-once. A record below a table's next offset for
 * its partition is already in the table and is skipped, whatever Connect's consumer offsets say
 * (after a crash between the Iceberg commit and the offset commit, or after the consumer offsets
 * were reset for a replay).
 */
public final class AppliedOffsets {
  private final String connector;
  private final Map<String, TableView> byTable = new HashMap<>();

  /** What this task knows a table holds, as of one snapshot of it. */
  record TableView(Long syncedSnapshotId, Map<TopicPartition, Long> nextOffsets) {}

  public AppliedOffsets(String connector) {
    this.connector = connector;
  }

  /** True when {@code table} already holds the record at {@code at}. */
  public boolean alreadyApplied(Table table, RecordCoordinates at) {
    Long next = view(table).nextOffsets().get(at.topicPartition());
    return next != null && at.offset() < next;
  }

  /** Forgets every view: after a new assignment, other tasks may have committed meanwhile. */
  public void forgetAll() {
    byTable.clear();
  }

  TableView view(Table table) {
    return byTable.computeIfAbsent(table.name(), name -> load(table));
  }

  void synced(Table table, Long snapshotId, Map<TopicPartition, Long> nextOffsets) {
    byTable.put(table.name(), new TableView(snapshotId, Map.copyOf(nextOffsets)));
  }

  private TableView load(Table table) {
    table.refresh();
    Snapshot current = table.currentSnapshot();
    return new TableView(
        current == null ? null : current.snapshotId(), committedSince(table, current, null));
  }

  /**
   * The next offsets recorded by this connector in the ancestors of {@code from} newer than {@code
   * stopAt} (all of them when null); for each partition the largest wins. A partition's next offset
   * only grows (a stale task is fenced before it commits), and a commit records every partition the
   * committing task knew of, some possibly one racing commit behind.
   */
  Map<TopicPartition, Long> committedSince(Table table, Snapshot from, Long stopAt) {
    Map<TopicPartition, Long> offsets = new HashMap<>();
    if (from == null) {
      return offsets;
    }
    for (Snapshot snapshot : SnapshotUtil.ancestorsOf(from.snapshotId(), table::snapshot)) {
      if (stopAt != null && snapshot.snapshotId() == stopAt) {
        break;
      }
      CommitSummary.nextOffsets(snapshot, connector)
          .forEach((tp, next) -> offsets.merge(tp, next, Math::max));
    }
    return offsets;
  }
}
