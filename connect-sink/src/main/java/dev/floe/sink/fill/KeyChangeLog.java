package dev.floe.sink.fill;

import dev.floe.sink.summary.CommitSummary;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.util.SnapshotUtil;

/**
 * The snapshot summary entry {@value CommitSummary#KEY_CHANGES}: the LSNs of the primary-key
 * changes whose old row a snapshot holds as it was just before the change (the snapshot of old
 * keys' states a task commits ahead of its buffer, or a changelog's flush, which keeps the deleted
 * row). The task that gets the new key's row, maybe another one, reads the old row from that
 * snapshot.
 */
public final class KeyChangeLog {
  private static final int PARSED_KEPT = 256;

  // parsed entries by snapshot id: a snapshot's summary never changes
  private final Map<Long, Set<Long>> parsed =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Set<Long>> eldest) {
          return size() > PARSED_KEPT;
        }
      };

  /** See {@link CommittedRows#snapshotOfKeyChange}. */
  synchronized long snapshotOf(Table table, long lsn) {
    Snapshot current = table.currentSnapshot();
    if (lsn < 0 || current == null) {
      return CommittedRows.NOT_COMMITTED;
    }
    for (Snapshot snapshot : SnapshotUtil.ancestorsOf(current.snapshotId(), table::snapshot)) {
      String entry = CommitSummary.keyChanges(snapshot);
      if (entry != null && lsnsOf(snapshot.snapshotId(), entry).contains(lsn)) {
        return snapshot.snapshotId();
      }
    }
    return CommittedRows.NOT_COMMITTED;
  }

  private Set<Long> lsnsOf(long snapshotId, String entry) {
    return parsed.computeIfAbsent(snapshotId, id -> CommitSummary.lsns(entry));
  }
}
