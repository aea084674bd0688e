package dev.floe.sink.schema;

import dev.floe.sink.event.ChangeEvent;
import org.apache.kafka.connect.data.Schema;

/**
 * A change's row as schema evolution sees it: its schema, the Postgres column numbers it carries
 * (null when none), its LSN, and the change itself, for where it came from.
 */
record RowColumns(Schema schema, String numbers, long lsn, ChangeEvent event) {
  static RowColumns named(Schema schema) {
    return new RowColumns(schema, null, -1, null);
  }

  static RowColumns of(ChangeEvent event) {
    return new RowColumns(event.rowSchema(), event.columnNumbers(), event.position().lsn(), event);
  }

  /** The same row taken as older than any rename: its names are matched, never followed. */
  RowColumns asOldest() {
    return new RowColumns(schema, numbers, ColumnIdentities.OLDEST, event);
  }

  /** The Postgres table it comes from, {@code database.schema.table}: read when asked. */
  String source() {
    return event == null
        ? ""
        : event.sourceDatabase() + "." + event.sourceSchema() + "." + event.sourceTable();
  }
}
