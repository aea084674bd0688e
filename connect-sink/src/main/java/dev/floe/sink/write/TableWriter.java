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

  /** How many changes are buffered since the last flush. */
  int pendingEvents();

  /**
   * Writes the buffered changes to files (not yet committed) and starts a new buffer; null if none.
   */
  TableFlush flush();

  /** Drops whatever is buffered: it was not committed, so Kafka will deliver it again. */
  void discard();
}
