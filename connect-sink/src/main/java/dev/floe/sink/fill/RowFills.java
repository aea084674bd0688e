package dev.floe.sink.fill;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * The rows of one buffer whose values Postgres did not send, and how each gets them: from an
 * earlier state of the row in the same buffer as the change arrives, else from the table when the
 * buffer is about to be written ({@link #fill}), in one read per snapshot for all such rows.
 */
public final class RowFills {
  private final Map<Record, PendingFill> pending = new IdentityHashMap<>();
  private final long keyChangeTimeoutMs;
  private int fromBuffer;
  private long lastWaitLogMs;
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RowFills.class);
  private int fromTable;

  /**
   * @param keyChangeTimeoutMs how long a key change's row waits for its old row to be committed
   */
  public RowFills(long keyChangeTimeoutMs) {
    this.keyChangeTimeoutMs = keyChangeTimeoutMs;
  }

  /** Whether {@code row} still waits for values. */
  public boolean isPending(Record row) {
    return !pending.isEmpty() && pending.containsKey(row);
  }

  /**
   * What {@link #fill} left: rows still waiting for a key change; rows that cannot be filled; rows
   * of replayed changes whose key's row the table holds as deleted since (it is ahead of them).
   */
  public record Outcome(
      boolean waiting, List<PendingFill> unfillable, List<PendingFill> superseded) {}

  /**
   * Fills {@code missing} columns of {@code row} from {@code earlier}, the same row's previous
   * state in the buffer; a column {@code earlier} itself still waits for stays waiting, from the
   * same source.
   */
  public void fromEarlier(Record row, Set<String> missing, Record earlier, SinkRecord record) {
    PendingFill gap = pending.get(earlier);
    Set<String> still = new HashSet<>();
    for (String column : missing) {
      if (gap != null && gap.columns.contains(column)) {
        still.add(column);
      } else {
        row.setField(column, earlier.getField(column));
      }
    }
    if (still.isEmpty()) {
      fromBuffer++;
    } else {
      pending.put(row, gap.carriedInto(row, still, record));
    }
  }

  /**
   * Leaves {@code missing} columns of {@code row} to be read from the table, from {@code source};
   * when the table has nothing, a {@code required} row is unfillable, another keeps what it holds.
   */
  public void fromTable(
      Record row, Set<String> missing, FillSource source, boolean required, SinkRecord record) {
    List<SinkRecord> records = new ArrayList<>(1);
    if (record != null) {
      records.add(record);
    }
    pending.put(
        row,
        new PendingFill(
            row, new HashSet<>(missing), source, required, System.currentTimeMillis(), records));
  }

  /** {@code row} left the buffer (a later change replaced it): it needs no values any more. */
  public void forget(Record row) {
    if (!pending.isEmpty()) {
      pending.remove(row);
    }
  }

  public boolean isEmpty() {
    return pending.isEmpty();
  }

  /**
   * Reads what the pending rows lack from {@code table} and fills it in, one read per snapshot
   * needed. A key change whose old row is not committed yet keeps waiting until its timeout; rows
   * that cannot be filled are returned (and forgotten) for the caller to refuse.
   */
  public Outcome fill(Table table, Schema keySchema, CommittedRows committed) {
    if (pending.isEmpty()) {
      return new Outcome(false, List.of(), List.of());
    }
    table.refresh();
    Snapshot current = table.currentSnapshot();
    long now = System.currentTimeMillis();
    boolean waiting = false;
    List<PendingFill> unfillable = new ArrayList<>();
    List<PendingFill> superseded = new ArrayList<>();
    Map<Long, List<PendingFill>> bySnapshot = new LinkedHashMap<>();
    List<PendingFill> ownRows = new ArrayList<>();
    for (PendingFill gap : List.copyOf(pending.values())) {
      if (!gap.source.keyChange()) {
        ownRows.add(gap);
        continue;
      }
      long change = committed.snapshotOfKeyChange(table, gap.source.keyChangeLsn());
      if (change == CommittedRows.NOT_COMMITTED && now - gap.sinceMs < keyChangeTimeoutMs) {
        logWait(table, gap, now);
        waiting = true;
        continue;
      }
      Long at = change == CommittedRows.NOT_COMMITTED ? null : Long.valueOf(change);
      if (at == null) {
        settle(gap, null, unfillable, superseded);
      } else {
        bySnapshot.computeIfAbsent(at, id -> new ArrayList<>()).add(gap);
      }
    }
    if (!ownRows.isEmpty()) {
      Map<StructLike, Record> rows =
          current == null
              ? Map.of()
              : committed.findCurrent(table, keySchema, keysOf(ownRows), columnsOf(ownRows));
      ownRows.forEach(gap -> settle(gap, rows.get(gap.source.key()), unfillable, superseded));
    }
    bySnapshot.forEach(
        (snapshotId, gaps) -> {
          Map<StructLike, Record> rows =
              committed.find(table, snapshotId, keySchema, keysOf(gaps), columnsOf(gaps));
          gaps.forEach(gap -> settle(gap, rows.get(gap.source.key()), unfillable, superseded));
        });
    return new Outcome(waiting, unfillable, superseded);
  }

  private void logWait(Table table, PendingFill gap, long now) {
    if (now - lastWaitLogMs > 10_000) {
      lastWaitLogMs = now;
      LOG.info(
          "{}: a row waits for the old row of key {} (key change at LSN {}) for {} ms",
          table.name(),
          gap.source.key(),
          gap.source.keyChangeLsn(),
          now - gap.sinceMs);
    }
  }

  private static List<Record> keysOf(List<PendingFill> gaps) {
    List<Record> keys = new ArrayList<>(gaps.size());
    gaps.forEach(gap -> keys.add(gap.source.key()));
    return keys;
  }

  private static Set<String> columnsOf(List<PendingFill> gaps) {
    Set<String> columns = new HashSet<>();
    gaps.forEach(gap -> columns.addAll(gap.columns));
    return columns;
  }

  private void settle(
      PendingFill gap,
      Record committedRow,
      List<PendingFill> unfillable,
      List<PendingFill> superseded) {
    pending.remove(gap.row);
    if (committedRow == CommittedRows.DELETED) {
      if (gap.source.keyChange()) {
        unfillable.add(gap); // the old row was gone before its key changed: not a real history
      } else if (gap.required) {
        superseded.add(gap); // a key that existed and was deleted since: only a replay needs it
      }
    } else if (committedRow != null) {
      for (String column : gap.columns) {
        gap.row.setField(column, committedRow.getField(column));
      }
      fromTable++;
    } else if (gap.required) {
      unfillable.add(gap);
    }
  }

  /** How many rows got values Postgres did not send, from the buffer and from the table. */
  public record Counts(int fromBuffer, int fromTable) {
    public static final Counts NONE = new Counts(0, 0);

    public Counts plus(Counts other) {
      return new Counts(fromBuffer + other.fromBuffer, fromTable + other.fromTable);
    }
  }

  /** The rows completed since the last call. */
  public Counts takeCounts() {
    Counts counts = new Counts(fromBuffer, fromTable);
    fromBuffer = 0;
    fromTable = 0;
    return counts;
  }

  public void clear() {
    pending.clear();
  }
}
