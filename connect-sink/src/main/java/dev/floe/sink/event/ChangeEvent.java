package dev.floe.sink.event;

import dev.floe.common.debezium.Operation;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * One change to one row, taken out of its Debezium envelope: what happened, to which key, the row's
 * new state (null for a delete), where the change came from in Postgres and where it was read in
 * Kafka.
 *
 * @param operation what happened to the row
 * @param sourceSchema the Postgres schema of the table
 * @param sourceTable the Postgres table
 * @param key the primary key, as the Kafka record key
 * @param rowSchema the schema of the row's columns (the envelope's {@code after}/{@code before}
 *     schema)
 * @param row the row after the change; for a delete, the before-image Debezium sent (only the key
 *     columns without REPLICA IDENTITY FULL), or null for a tombstone
 * @param position the source position: commit time and LSN
 * @param coordinates the record's original topic, partition and offset
 */
public record ChangeEvent(
    Operation operation,
    String sourceSchema,
    String sourceTable,
    Struct key,
    Schema rowSchema,
    Struct row,
    SourcePosition position,
    RecordCoordinates coordinates) {

  public boolean isDelete() {
    return operation == Operation.DELETE;
  }

  /** A record with a key and no value: a delete of the key, carrying nothing else. */
  public boolean isTombstone() {
    return isDelete() && row == null && rowSchema == null;
  }
}
