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
 * Turns a Kafka record into a {@link ChangeEvent}. Three shapes are understood: Debezium's envelope
 * ({@code op}, {@code before}, {@code after}, {@code source}); rows already flattened by Debezium's
 * {@code ExtractNewRecordState} (with {@code __op}/{@code __deleted} when added); and plain keyed
 * rows (an upsert of the key). A tombstone deletes its key: after a Debezium delete that changes
 * nothing, on a flattened or compacted topic it is the delete. Logical-decoding messages parse to
 * {@code null}; anything the sink cannot apply is a {@link DataException} that names the record.
 */
public final class ChangeEventParser {
  private final FlatRowReader flatRows = new FlatRowReader();

  /** The change in {@code record}, or null when it carries none (an {@code m} message). */
  public ChangeEvent parse(SinkRecord record) {
    RecordCoordinates at = RecordCoordinates.of(record);
    if (record.value() == null) {
      Struct key = requireKey(record, at);
      return new ChangeEvent(
          Operation.DELETE,
          null,
          null,
          key,
          null,
          null,
          SourcePosition.UNKNOWN,
          at,
          null,
          false,
          record);
    }
    if (!(record.value() instanceof Struct value)) {
      throw new DataException(
          "Record "
              + at
              + " has no schema: use JsonConverter with schemas.enable=true (or a schema"
              + " registry converter) for the sink's keys and values.");
    }
    if (value.schema().field(OP) == null) {
      return flatRows.parse(requireKey(record, at), value, record);
    }
    Operation op = operation(value.get(OP), at, OP);
    Struct source = value.schema().field(SOURCE) == null ? null : value.getStruct(SOURCE);
    if (op == Operation.MESSAGE) {
      return null;
    }
    if (op == Operation.TRUNCATE) {
      return new ChangeEvent(
          op,
          sourceString(source, SOURCE_SCHEMA),
          sourceString(source, SOURCE_TABLE),
          null,
          null,
          null,
          position(source),
          at,
          null,
          false,
          record);
    }
    Field rowField = value.schema().field(op == Operation.DELETE ? BEFORE : AFTER);
    Struct row = value.getStruct(op == Operation.DELETE ? BEFORE : AFTER);
    if (rowField == null || (row == null && op != Operation.DELETE)) {
      throw new DataException("Record " + at + " (op " + op.code() + ") has no row state.");
    }
    Struct key = requireKey(record, at);
    return new ChangeEvent(
        op,
        sourceString(source, SOURCE_SCHEMA),
        sourceString(source, SOURCE_TABLE),
        key,
        rowField.schema(),
        row,
        position(source),
        at,
        op == Operation.CREATE ? KeyChangeHeaders.oldKey(record, key) : null,
        op == Operation.DELETE && KeyChangeHeaders.keyMoved(record),
        record);
  }

  /** The operation a change event's {@code field} names; refused when Debezium has no such op. */
  static Operation operation(Object code, RecordCoordinates at, String field) {
    if (code instanceof String text) {
      try {
        return Operation.fromCode(text);
      } catch (IllegalArgumentException unknown) {
        // falls through to the refusal below
      }
    }
    throw new DataException(
        "Record "
            + at
            + " has "
            + (code == null ? "no" : "an unknown")
            + " operation in '"
            + field
            + "'"
            + (code == null ? "" : " ('" + code + "')")
            + ": Debezium's are c, r, u, d, t and m. Only Debezium change events (or rows flattened"
            + " by its ExtractNewRecordState) can be applied.");
  }

  private static Struct requireKey(SinkRecord record, RecordCoordinates at) {
    if (record.key() instanceof Struct key && !key.schema().fields().isEmpty()) {
      return key;
    }
    throw new DataException(
        "Record "
            + at
            + " has no primary key with a schema: the sink applies updates and deletes by key,"
            + " so the Postgres table needs a primary key and the key converter needs schemas.");
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

  static long longField(Struct struct, String name) {
    Field field = struct.schema().field(name);
    if (field == null || field.schema().type() != Schema.Type.INT64) {
      return -1;
    }
    Long value = struct.getInt64(name);
    return value == null ? -1 : value;
  }
}
