package dev.floe.sink.write;

import dev.floe.sink.event.ChangeEvent;

/**
 * Buffers the changes of one table and writes them out as data and delete files, one flush at a
 * time.
 */
public interface TableWriter {

  /** Takes one change; changes of one key must arrive in Kafka offset order. */
  void write(ChangeEvent event);

  /** The table this writer writes. */
  org.apache.iceberg.Table table();

  /** The table schema this writer's rows are built for (the table's may have moved on). */
  org.apache.iceberg.Schema schema();

  /** The key rows are matched on, or null when rows are never matched (changelog mode). */
  default dev.floe.sink.schema.TableKey key() {
    return null;
  }

  /**
   * Whether the buffer holds a row for {@code event}'s key, written by an earlier change of this
   * flush (not a delete).
   */
  boolean holdsRowOf(ChangeEvent event);

  /**
   * Completes buffered rows with the values Postgres did not send, from the table ({@link
   * dev.floe.sink.fill.RowFills}); rows that cannot be completed leave the buffer and their changes
   * go to {@code refusals}. False while the new row of a primary-key change waits for its old row
   * to be committed by another task; call again later.
   */
  boolean fillUnavailable(
      dev.floe.sink.fill.CommittedRows committed, dev.floe.sink.fill.Refusals refusals);

  /** How many changes are buffered since the last flush. */
  int pendingEvents();

  /** An estimate of the memory the buffered changes take. */
  long pendingBytes();

  /**
   * For primary-key changes whose old key this buffer deletes while their new row is elsewhere: the
   * old keys' states just before the changes, written to new files, to be committed ahead of {@link
   * #flush()}'s snapshot (and even while the buffer waits), recording the changes' LSNs; the task
   * that gets a new row reads the old row from that snapshot. Null when none is ready.
   */
  default TableFlush flushStatesBeforeKeyChanges() {
    return null;
  }

  /**
   * The rows the last {@link #flush()} wrote, by key (a null row: the key was deleted), for a cache
   * of committed rows; null for a writer that keeps several rows per key.
   */
  default java.util.Map<org.apache.iceberg.StructLike, org.apache.iceberg.data.Record> rowsByKey() {
    return null;
  }

  /** The last {@link #flushStatesBeforeKeyChanges()} is committed. */
  default void statesBeforeKeyChangesCommitted() {}

  /**
   * Writes the buffered changes to new files, not yet committed; null if none. The buffer is kept
   * until {@link #committed()}, so a failed commit can be retried with fresh files.
   */
  TableFlush flush();

  /** The last flush is in a committed snapshot: start a new buffer. */
  void committed();

  /** Drops whatever is buffered: it was not committed, so Kafka will deliver it again. */
  void discard();
}
