package dev.floe.sink.fill;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.iceberg.data.Record;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * A buffered row some of whose columns wait for their values: Postgres did not send them (an
 * unchanged TOASTed value) and no earlier change in the buffer held them.
 */
public final class PendingFill {
  final Record row;
  final Set<String> columns;
  final FillSource source;
  final boolean required;
  final long sinceMs;
  // every change whose row carried the gap, oldest first: they share its fate
  final List<SinkRecord> records;

  PendingFill(
      Record row,
      Set<String> columns,
      FillSource source,
      boolean required,
      long sinceMs,
      List<SinkRecord> records) {
    this.row = row;
    this.columns = columns;
    this.source = source;
    this.required = required;
    this.sinceMs = sinceMs;
    this.records = records;
  }

  /** The row waiting for its values (a record of the writer's schema). */
  public Record row() {
    return row;
  }

  /** The Kafka records whose changes are in this row, oldest first. */
  public List<SinkRecord> records() {
    return records;
  }

  /** The same gap carried on into {@code next}'s row, for the columns it still lacks. */
  PendingFill carriedInto(Record next, Set<String> stillMissing, SinkRecord record) {
    List<SinkRecord> all = new ArrayList<>(records);
    if (record != null) {
      all.add(record);
    }
    return new PendingFill(next, stillMissing, source, required, sinceMs, all);
  }

  /** Why the row cannot be completed, naming the key and the columns. */
  public String reason(String table) {
    return source.keyChange()
        ? "The new row of a primary-key change of "
            + table
            + " lacks "
            + columns
            + " (unchanged TOASTed values Postgres did not send), and the old key "
            + source.key()
            + " was not found as committed before the change"
            + " (unavailable.value.key-change.timeout.ms passed, or the old row is not in the"
            + " table)."
        : "The change lacks "
            + columns
            + " of "
            + table
            + " (unchanged TOASTed values Postgres did not send), and the table holds no earlier"
            + " row of key "
            + source.key()
            + " to take them from.";
  }
}
