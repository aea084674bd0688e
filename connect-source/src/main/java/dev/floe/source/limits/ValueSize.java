package dev.floe.source.limits;

import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;

/**
 * The fewest bytes a change's values take in any converter's encoding: the UTF-8 of its text (never
 * fewer bytes than UTF-16 chars), its bytes, and one byte per element of a list or map. Numbers and
 * other fixed-size values count nothing, so the estimate never passes the real size, and the
 * largest top-level column of a row (a field of the envelope's {@code before} or {@code after}) is
 * named.
 */
record ValueSize(long bytes, String largestField, long largestBytes) {

  static ValueSize of(Object value) {
    if (!(value instanceof Struct envelope)) {
      return new ValueSize(atLeast(value), "(the value)", atLeast(value));
    }
    long total = 0;
    String largest = "(none)";
    long largestBytes = 0;
    for (Field field : envelope.schema().fields()) {
      Object part = envelope.getWithoutDefault(field.name());
      if (part instanceof Struct row) {
        for (Field column : row.schema().fields()) {
          if (!mayBeLarge(column)) {
            continue;
          }
          long size = atLeast(row.getWithoutDefault(column.name()));
          total += size;
          if (size > largestBytes) {
            largestBytes = size;
            largest = column.name();
          }
        }
      } else {
        total += atLeast(part);
      }
    }
    return new ValueSize(total, largest, largestBytes);
  }

  /** Fixed-size values count nothing: their fields are not even read. */
  private static boolean mayBeLarge(Field field) {
    return switch (field.schema().type()) {
      case STRING, BYTES, ARRAY, MAP, STRUCT -> true;
      default -> false;
    };
  }

  static long atLeast(Object value) {
    if (value instanceof String text) {
      return text.length();
    }
    if (value instanceof byte[] bytes) {
      return bytes.length;
    }
    if (value instanceof ByteBuffer buffer) {
      return buffer.remaining();
    }
    if (value instanceof Struct struct) {
      long total = 0;
      for (Field field : struct.schema().fields()) {
        if (mayBeLarge(field)) {
          total += atLeast(struct.getWithoutDefault(field.name()));
        }
      }
      return total;
    }
    if (value instanceof Collection<?> elements) {
      long total = 0;
      for (Object element : elements) {
        total += Math.max(1, atLeast(element));
      }
      return total;
    }
    if (value instanceof Map<?, ?> map) {
      long total = 0;
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        total += Math.max(1, atLeast(entry.getKey())) + atLeast(entry.getValue());
      }
      return total;
    }
    return 0;
  }
}
