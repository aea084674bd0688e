package dev.floe.sink.event;

import dev.floe.common.debezium.Operation;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;

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
 * @param oldKey for the create half of a primary-key change, the row's key before the change
 *     (Debezium's {@code __debezium.oldkey} header); null otherwise
 * @param keyMoved for the delete half of a primary-key change: the row lives on under another key
 *     (Debezium's {@code __debezium.newkey} header)
 * @param record the Kafka record the change came from, for the dead letter topic; null in tests
 */
public record ChangeEvent(
    Operation operation,
    String sourceSchema,
    String sourceTable,
    Struct key,
    Schema rowSchema,
    Struct row,
    SourcePosition position,
    RecordCoordinates coordinates,
    Struct oldKey,
    boolean keyMoved,
    SinkRecord record) {
  /** The header Floe's source numbers a change's columns in. */
  public static final String COLUMN_NUMBERS = "floe.attnums";

  /** A change that is not part of a primary-key change, without its Kafka record. */
  public ChangeEvent(
      Operation operation,
      String sourceSchema,
      String sourceTable,
      Struct key,
      Schema rowSchema,
      Struct row,
      SourcePosition position,
      RecordCoordinates coordinates) {
    this(
        operation,
        sourceSchema,
        sourceTable,
        key,
        rowSchema,
        row,
        position,
        coordinates,
        null,
        false,
        null);
  }

  /**
   * The Postgres database the change comes from (Debezium's {@code source.db}, or the {@code __db}
   * field ExtractNewRecordState adds), or null when the record does not say. Read from the record
   * when asked: routing asks once per source table and topic.
   */
  public String sourceDatabase() {
    if (record == null || !(record.value() instanceof org.apache.kafka.connect.data.Struct value)) {
      return null;
    }
    org.apache.kafka.connect.data.Struct holder = value;
    String field = "__db";
    if (value.schema().field("source") != null) {
      holder = value.getStruct("source");
      field = "db";
    }
    if (holder == null || holder.schema().field(field) == null) {
      return null;
    }
    Object db = holder.get(field);
    return db instanceof String name ? name : null;
  }

  /**
   * The Postgres column numbers Floe's source labels the row's columns with (its {@value
   * #COLUMN_NUMBERS} header, {@code #1,2,4}), or null when the record carries none.
   */
  public String columnNumbers() {
    if (record == null || record.headers() == null) {
      return null;
    }
    org.apache.kafka.connect.header.Header header = record.headers().lastWithName(COLUMN_NUMBERS);
    Object value = header == null ? null : header.value();
    if (value instanceof byte[] bytes) {
      return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }
    return value instanceof String text ? text : null;
  }

  public boolean isDelete() {
    return operation == Operation.DELETE;
  }

  /** A record with a key and no value: a delete of the key, carrying nothing else. */
  public boolean isTombstone() {
    return isDelete() && row == null && rowSchema == null;
  }
}
