package dev.floe.sink.fill;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;

/**
 * What a table holds for a set of keys, at one snapshot: the question behind every fill of a value
 * Postgres did not send. {@link TableScanRows} answers it with one planned read per call; a key
 * index that knows each key's data file and position can answer it later without scanning (the same
 * index then lets the sink delete by position).
 */
public interface CommittedRows {

  /**
   * The rows of {@code keys} at snapshot {@code snapshotId}, keyed by key (records of {@code
   * keySchema}), holding at least {@code columns}; a key the snapshot never held is absent, one it
   * held and deleted may map to {@link #DELETED}. In a table with many rows per key (a changelog),
   * the newest row of each key.
   */
  Map<StructLike, Record> find(
      Table table, long snapshotId, Schema keySchema, Collection<Record> keys, Set<String> columns);

  /**
   * The snapshot that holds the old row of the primary-key change at {@code lsn} as it was just
   * before the change (the one that records the change's LSN), or {@link #NOT_COMMITTED} while the
   * task that owns the old key has not committed it yet.
   */
  long snapshotOfKeyChange(Table table, long lsn);

  /**
   * The rows of {@code keys} as {@code table} holds them now (its current snapshot; the caller
   * refreshed it). These are keys only this task changes, so what it committed itself may answer.
   */
  default Map<StructLike, Record> findCurrent(
      Table table, Schema keySchema, Collection<Record> keys, Set<String> columns) {
    Snapshot current = table.currentSnapshot();
    return current == null ? Map.of() : find(table, current.snapshotId(), keySchema, keys, columns);
  }

  /** This task committed {@code states} of its keys to {@code table} (a null state: deleted). */
  default void committed(Table table, Map<StructLike, Record> states) {}

  /**
   * What is known of {@code table}'s rows (every table's when null) may be out of date: its schema
   * or key changed, it was truncated, or this task's partitions changed.
   */
  default void forget(String table) {}

  long NOT_COMMITTED = -1;

  /**
   * In {@link #find}'s answer: the key had a row, deleted since by a later change. A change that
   * needs that row's values is then a replay of the source (Debezium delivers at least once after a
   * restart), superseded by the delete that the table already holds.
   */
  Record DELETED = GenericRecord.create(new Schema());
}
