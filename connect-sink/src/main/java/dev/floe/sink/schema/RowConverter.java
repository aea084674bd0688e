package dev.floe.sink.schema;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.types.Types.NestedField;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

/**
 * Converts a Debezium row ({@link Struct}) into an Iceberg {@link Record} of a table's schema,
 * value by value, following {@link TypeMapping}. A column the table does not have is an error, not
 * a silent drop.
 */
public final class RowConverter {
  private final Schema tableSchema;

  public RowConverter(Schema tableSchema) {
    this.tableSchema = tableSchema;
  }

  /** The row as a record of the full table schema; columns absent from the row stay null. */
  public Record toRecord(Struct row) {
    return convertStruct(row, tableSchema.asStruct());
  }

  /** The key as a record of {@code keySchema} (the table's identifier fields). */
  public static Record toKeyRecord(Struct key, Schema keySchema) {
    return convertStruct(key, keySchema.asStruct());
  }

  private static Record convertStruct(Struct struct, Types.StructType type) {
    GenericRecord record = GenericRecord.create(type);
    for (Field column : struct.schema().fields()) {
      NestedField target = type.field(column.name());
      if (target == null) {
        throw new DataException(
            "Column '"
                + column.name()
                + "' is not in the Iceberg table "
                + "(schema evolution is not supported yet): the row cannot be applied without losing it.");
      }
      Object value = struct.get(column);
      if (ToastPlaceholder.isPlaceholder(value)) {
        throw ToastPlaceholder.refuse(column.name());
      }
      record.setField(
          column.name(),
          value == null ? null : convert(column.name(), value, column.schema(), target.type()));
    }
    return record;
  }

  private static Object convert(
      String column, Object value, org.apache.kafka.connect.data.Schema schema, Type type) {
    switch (type.typeId()) {
      case INTEGER:
        return ((Number) value).intValue();
      case LONG:
        return ((Number) value).longValue();
      case FLOAT:
        return ((Number) value).floatValue();
      case DOUBLE:
        return ((Number) value).doubleValue();
      case BOOLEAN:
      case STRING:
        return value;
      case BINARY:
        return value instanceof byte[] bytes ? ByteBuffer.wrap(bytes) : value;
      case DECIMAL:
        return ((BigDecimal) value).setScale(((Types.DecimalType) type).scale());
      case UUID:
        return UUID.fromString((String) value);
      case DATE:
        return value instanceof java.util.Date date
            ? LocalDate.ofInstant(date.toInstant(), ZoneOffset.UTC)
            : LocalDate.ofEpochDay(((Number) value).longValue());
      case TIME:
        return time(value);
      case TIMESTAMP:
        return ((Types.TimestampType) type).shouldAdjustToUTC()
            ? OffsetDateTime.parse((String) value)
            : timestamp(value, schema.name());
      case LIST:
        Type element = ((Types.ListType) type).elementType();
        List<Object> out = new ArrayList<>();
        for (Object item : (List<?>) value) {
          out.add(item == null ? null : convert(column, item, schema.valueSchema(), element));
        }
        return out;
      default:
        throw new DataException("Column '" + column + "': no conversion to Iceberg " + type);
    }
  }

  private static LocalTime time(Object value) {
    if (value instanceof java.util.Date date) {
      return LocalTime.ofNanoOfDay(date.getTime() * 1_000_000L);
    }
    if (value instanceof Integer millis) {
      return LocalTime.ofNanoOfDay(millis * 1_000_000L);
    }
    return LocalTime.ofNanoOfDay(((Number) value).longValue() * 1_000L);
  }

  private static LocalDateTime timestamp(Object value, String semanticType) {
    if (value instanceof java.util.Date date) {
      return LocalDateTime.ofInstant(date.toInstant(), ZoneOffset.UTC);
    }
    long raw = ((Number) value).longValue();
    // Debezium's adaptive precision picks the unit per column: millis up to timestamp(3), micros
    // above
    long nanos =
        TypeMapping.DBZ_TIMESTAMP_MILLIS.equals(semanticType)
            ? Math.multiplyExact(raw, 1_000_000L)
            : TypeMapping.DBZ_TIMESTAMP_NANOS.equals(semanticType)
                ? raw
                : Math.multiplyExact(raw, 1_000L);
    return LocalDateTime.ofEpochSecond(
        Math.floorDiv(nanos, 1_000_000_000L),
        (int) Math.floorMod(nanos, 1_000_000_000L),
        ZoneOffset.UTC);
  }
}
