package dev.floe.sink.event;

import java.math.BigDecimal;
import java.util.Map;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Debezium's headers on the two halves of a primary-key change: the delete of the old key carries
 * {@value #NEW_KEY}, the create of the new key carries {@value #OLD_KEY}. The old key tells the
 * sink where the row's unchanged TOASTed values live.
 *
 * <p>A header arrives in whatever form the worker's {@code header.converter} gives it: a {@link
 * Struct} (JSON with schemas), or a {@link Map} from Connect's default {@code
 * SimpleHeaderConverter}, which parses numbers to the smallest type that holds them. Either is
 * rebuilt as a key of the record's own key schema, the old key having the same columns as the new
 * one.
 */
final class KeyChangeHeaders {
  static final String OLD_KEY = "__debezium.oldkey";
  static final String NEW_KEY = "__debezium.newkey";

  private KeyChangeHeaders() {}

  /** The key before the change, for the create half of a key change; else null. */
  static Struct oldKey(SinkRecord record, Struct key) {
    if (key == null || record.headers() == null) {
      return null;
    }
    Header header = record.headers().lastWithName(OLD_KEY);
    return header == null ? null : asKey(header.value(), key.schema());
  }

  /** Whether the record is the delete half of a key change. */
  static boolean keyMoved(SinkRecord record) {
    return record.headers() != null && record.headers().lastWithName(NEW_KEY) != null;
  }

  /** {@code value} as a key of {@code keySchema}, or null when it cannot be one. */
  static Struct asKey(Object value, Schema keySchema) {
    Struct key = new Struct(keySchema);
    for (Field field : keySchema.fields()) {
      Object column;
      if (value instanceof Struct struct && struct.schema().field(field.name()) != null) {
        column = struct.get(field.name());
      } else if (value instanceof Map<?, ?> map) {
        column = map.get(field.name());
      } else {
        return null;
      }
      try {
        key.put(field, column == null ? null : as(column, field.schema()));
      } catch (RuntimeException unreadable) {
        return null; // not a key we can match: the change is treated as having no old key
      }
    }
    return key;
  }

  private static Object as(Object value, Schema schema) {
    if (Decimal.LOGICAL_NAME.equals(schema.name())) {
      return value instanceof BigDecimal decimal
          ? decimal
          : new BigDecimal(value.toString())
              .setScale(Integer.parseInt(schema.parameters().get(Decimal.SCALE_FIELD)));
    }
    return switch (schema.type()) {
      case INT8 -> ((Number) value).byteValue();
      case INT16 -> ((Number) value).shortValue();
      case INT32 -> ((Number) value).intValue();
      case INT64 -> ((Number) value).longValue();
      case FLOAT32 -> ((Number) value).floatValue();
      case FLOAT64 -> ((Number) value).doubleValue();
      case STRING -> value.toString();
      default -> value; // booleans, bytes and structs arrive as they are
    };
  }
}
