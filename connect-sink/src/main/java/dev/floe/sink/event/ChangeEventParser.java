package dev.floe.sink.event;

import static dev.floe.common.debezium.EnvelopeFields.AFTER;
import static dev.floe.common.debezium.EnvelopeFields.BEFORE;
import static dev.floe.common.debezium.EnvelopeFields.OP;
import static dev.floe.common.debezium.EnvelopeFields.SOURCE;
import static dev.floe.common.debezium.EnvelopeFields.SOURCE_LSN;
import static dev.floe.common.debezium.EnvelopeFields.SOURCE_SCHEMA;
import static dev.floe.common.debezium.EnvelopeFields.SOURCE_TABLE;
import static dev.floe.common.debezium.EnvelopeFields.SOURCE_TS_MS;

import dev.floe.common.debezium.Operation;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Turns a Kafka record holding a Debezium change-event envelope into a {@link ChangeEvent}.
 * Tombstones and logical-decoding messages carry no row change and parse to {@code null}; anything
 * the sink cannot apply is a {@link DataException} that names the record.
 */
public final class ChangeEventParser {

  /**
   * The change in {@code record}, or null when the record carries none (tombstone, {@code m}
   * message).
   */
  public ChangeEvent parse(SinkRecord record) {
    RecordCoordinates at = RecordCoordinates.of(record);
    if (record.value() == null) {
      return null; // Debezium's tombstone after a delete exists for log compaction only
    }
    if (!(record.value() instanceof Struct value) || value.schema().field(OP) == null) {
      throw new DataException(
          "Record "
              + at
              + " is not a Debezium change event with a schema: use "
              + "JsonConverter with schemas.enable=true (or a schema registry converter) on the sink.");
    }
    Operation op = Operation.fromCode(value.getString(OP));
    if (op == Operation.MESSAGE) {
      return null;
    }
    if (op == Operation.TRUNCATE) {
      throw new DataException(
          "Record "
              + at
              + " is a truncate: applying truncates is not supported yet; "
              + "keep the source's default skipped.operations=t.");
    }
    if (!(record.key() instanceof Struct key)) {
      throw new DataException(
          "Record "
              + at
              + " has no primary key: the sink applies updates and deletes "
              + "by key, so the Postgres table needs a primary key.");
    }
    Field rowField = value.schema().field(op == Operation.DELETE ? BEFORE : AFTER);
    Struct row = op == Operation.DELETE ? null : value.getStruct(AFTER);
    if (rowField == null || (row == null && op != Operation.DELETE)) {
      throw new DataException("Record " + at + " (op " + op.code() + ") has no row state.");
    }
    Struct source = value.schema().field(SOURCE) == null ? null : value.getStruct(SOURCE);
    return new ChangeEvent(
        op,
        sourceString(source, SOURCE_SCHEMA),
        sourceString(source, SOURCE_TABLE),
        key,
        rowField.schema(),
        row,
        position(source),
        at);
  }

  private static String sourceString(Struct source, String field) {
    if (source == null || source.schema().field(field) == null) {
      return null;
    }
    return source.getString(field);
  }

  private static SourcePosition position(Struct source) {
    if (source == null) {
      return SourcePosition.UNKNOWN;
    }
    return new SourcePosition(longField(source, SOURCE_TS_MS), longField(source, SOURCE_LSN));
  }

  private static long longField(Struct source, String name) {
    Field field = source.schema().field(name);
    if (field == null || field.schema().type() != Schema.Type.INT64) {
      return -1;
    }
    Long value = source.getInt64(name);
    return value == null ? -1 : value;
  }
}
