package dev.floe.sink.fill;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
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
   * keySchema}), holding at least {@code columns}; a key the snapshot does not hold is absent. In a
   * table with many rows per key (a changelog), the newest row of each key.
   */
  Map<StructLike, Record> find(
      Table table, long snapshotId, Schema keySchema, Collection<Record> keys, Set<String> columns);

  /**
   * The snapshot just before the one that committed the primary-key change at {@code lsn} (which
   * deleted the old key), so the old row's last state can be read from it: an id, {@link
   * #NOT_COMMITTED} while no snapshot of {@code table} records the change, or {@link #NO_STATE}
   * when the change was the table's first snapshot.
   */
  long beforeKeyChange(Table table, long lsn);

  long NOT_COMMITTED = -1;
  long NO_STATE = -2;
}
