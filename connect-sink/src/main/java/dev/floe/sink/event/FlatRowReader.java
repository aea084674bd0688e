package dev.floe.sink.event;

import dev.floe.common.debezium.Operation;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Reads a row that is already flat: the output of Debezium's {@code ExtractNewRecordState}, or a
 * plain keyed row. The fields that transform adds ({@code __op}, {@code __deleted}, {@code
 * __table}, {@code __lsn}, ...) say what happened and where it came from; they are metadata, not
 * columns, and are removed from the row. Without {@code __op} a row is an upsert of its key.
 */
final class FlatRowReader {
  static final String PREFIX = "__";
  private static final Set<String> METADATA =
      Set.of(
          "op",
          "deleted",
          "table",
          "schema",
          "db",
          "lsn",
          "txId",
          "ts_ms",
          "ts_us",
          "ts_ns",
          "source_ts_ms",
          "source_ts_us",
          "source_ts_ns",
          "snapshot",
          "connector",
          "name",
          "version",
          "sequence",
          "xmin");

  private final Map<Schema, Schema> rowSchemas = new ConcurrentHashMap<>();

  ChangeEvent parse(Struct key, Struct value, SinkRecord record) {
    Operation op = Operation.UPDATE;
    String code = string(value, "op");
    if (code != null) {
      op = ChangeEventParser.operation(code, RecordCoordinates.of(record), PREFIX + "op");
    }
    if ("true".equalsIgnoreCase(string(value, "deleted"))) {
      op = Operation.DELETE;
    }
    Schema rowSchema = rowSchemas.computeIfAbsent(value.schema(), FlatRowReader::withoutMetadata);
    Struct row = new Struct(rowSchema); // for a delete: the before-image, as Debezium sent it
    for (Field field : rowSchema.fields()) {
      row.put(field.name(), value.getWithoutDefault(field.name()));
    }
    SourcePosition position =
        new SourcePosition(
            ChangeEventParser.longField(value, PREFIX + "source_ts_ms"),
            ChangeEventParser.longField(value, PREFIX + "lsn"));
    return new ChangeEvent(
        op,
        string(value, "schema"),
        string(value, "table"),
        key,
        rowSchema,
        row,
        position,
        RecordCoordinates.of(record),
        op == Operation.CREATE ? KeyChangeHeaders.oldKey(record, key) : null,
        op == Operation.DELETE && KeyChangeHeaders.keyMoved(record),
        record);
  }

  private static String string(Struct value, String metadata) {
    Field field = value.schema().field(PREFIX + metadata);
    if (field == null || field.schema().type() != Schema.Type.STRING) {
      return null;
    }
    return value.getString(field.name());
  }

  static boolean isMetadata(String fieldName) {
    return fieldName.startsWith(PREFIX) && METADATA.contains(fieldName.substring(PREFIX.length()));
  }

  private static Schema withoutMetadata(Schema flat) {
    SchemaBuilder builder = SchemaBuilder.struct().name(flat.name()).optional();
    for (Field field : flat.fields()) {
      if (!isMetadata(field.name())) {
        builder.field(field.name(), field.schema());
      }
    }
    return builder.build();
  }
}
