package dev.floe.sink.index;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * A key's canonical bytes: the same key gives the same bytes whether it was built from a change
 * event or read back from a data file (a decimal at its column's scale, a date as its day number),
 * and two keys give different bytes. Only for key types whose values have one form both ways; a
 * table keyed otherwise has no index and keeps its equality deletes.
 */
final class KeyBytes {
  private static final Set<Type.TypeID> SUPPORTED =
      EnumSet.of(
          Type.TypeID.INTEGER,
          Type.TypeID.LONG,
          Type.TypeID.STRING,
          Type.TypeID.UUID,
          Type.TypeID.DATE,
          Type.TypeID.DECIMAL,
          Type.TypeID.BOOLEAN);

  private KeyBytes() {}

  static boolean supports(Schema keySchema) {
    return !keySchema.columns().isEmpty()
        && keySchema.columns().stream().allMatch(c -> SUPPORTED.contains(c.type().typeId()));
  }

  /** The key's bytes; null when a value is missing or not of its column's usual Java type. */
  static byte[] of(Schema keySchema, StructLike key) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(32);
    for (int i = 0; i < keySchema.columns().size(); i++) {
      Types.NestedField column = keySchema.columns().get(i);
      Object value = key.get(i, Object.class);
      String text = canonical(column.type(), value);
      if (text == null) {
        return null;
      }
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      // length-prefixed, so ("ab","c") and ("a","bc") differ
      out.write(bytes.length >>> 24);
      out.write(bytes.length >>> 16);
      out.write(bytes.length >>> 8);
      out.write(bytes.length);
      out.write(bytes, 0, bytes.length);
    }
    return out.toByteArray();
  }

  private static String canonical(Type type, Object value) {
    if (value instanceof Integer || value instanceof Long || value instanceof Boolean) {
      return value.toString();
    }
    if (value instanceof CharSequence text) {
      return text.toString();
    }
    if (value instanceof UUID uuid) {
      return uuid.toString();
    }
    if (value instanceof LocalDate date) {
      return Long.toString(date.toEpochDay());
    }
    if (value instanceof BigDecimal decimal && type instanceof Types.DecimalType decimalType) {
      try {
        return decimal.setScale(decimalType.scale()).unscaledValue().toString();
      } catch (ArithmeticException notAtScale) {
        return null;
      }
    }
    return null;
  }
}
