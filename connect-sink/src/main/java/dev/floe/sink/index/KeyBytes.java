package dev.floe.sink.index;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.DateTimeUtil;
import org.apache.parquet.column.values.bloomfilter.XxHash;

/**
 * A key's canonical bytes: the same key gives the same bytes whether it was built from a change
 * event or read back from a data file (a decimal at its column's scale, a date as its day number, a
 * timestamp as its microseconds), and two keys give different bytes. Only for key types whose
 * values have one form both ways; a table keyed otherwise has no index and keeps its equality
 * deletes.
 */
final class KeyBytes {
  private static final Set<Type.TypeID> SUPPORTED =
      EnumSet.of(
          Type.TypeID.INTEGER,
          Type.TypeID.LONG,
          Type.TypeID.STRING,
          Type.TypeID.UUID,
          Type.TypeID.DATE,
          Type.TypeID.TIMESTAMP,
          Type.TypeID.DECIMAL,
          Type.TypeID.BOOLEAN);

  // the hash of Parquet's Bloom filters; stateless
  private static final XxHash HASH = new XxHash();

  private final Type[] types;
  // one key's bytes at a time: a flush hashes each of its keys, and a new buffer per key was a
  // tenth of an insert flush's time
  private ByteBuffer buffer;

  private KeyBytes(Schema keySchema) {
    // once per table: Schema.columns() builds its list again on each call
    this.types = keySchema.columns().stream().map(c -> c.type()).toArray(Type[]::new);
    this.buffer = ByteBuffer.allocate(16 * types.length);
  }

  /** The byte form of keys of {@code keySchema}, which {@link #supports} it. */
  static KeyBytes forKey(Schema keySchema) {
    return new KeyBytes(keySchema);
  }

  static boolean supports(Schema keySchema) {
    return !keySchema.columns().isEmpty()
        && keySchema.columns().stream().allMatch(c -> SUPPORTED.contains(c.type().typeId()));
  }

  /** The key's bytes; null when a value is missing or not of its column's usual Java type. */
  byte[] of(StructLike key) {
    return fill(key) ? java.util.Arrays.copyOf(buffer.array(), buffer.position()) : null;
  }

  /**
   * Whether {@code key} has bytes ({@link #of}); if it has, {@link #hash} is theirs until the next
   * call. Nothing is allocated for a key of numbers, dates, UUIDs or booleans.
   */
  boolean fill(StructLike key) {
    buffer.clear();
    for (int i = 0; i < types.length; i++) {
      ByteBuffer out = append(buffer, types[i], key.get(i, Object.class));
      if (out == null) {
        return false;
      }
      buffer = out;
    }
    return true;
  }

  /** The 64-bit hash (XXH64, as Parquet's Bloom filters') of the bytes {@link #fill} made last. */
  long hash() {
    return HASH.hashByteBuffer(buffer.flip());
  }

  /**
   * Appends one value in binary: numbers as 8 bytes (an int the same as the long it widens to, as a
   * column promoted from int to long reads back), text and unscaled decimals length-prefixed so
   * ("ab","c") and ("a","bc") differ. The bytes never leave the task's memory (the index is built
   * again at each start), so the form is free to change.
   */
  private static ByteBuffer append(ByteBuffer out, Type type, Object value) {
    if (value instanceof Integer || value instanceof Long) {
      return room(out, 8).putLong(((Number) value).longValue());
    }
    if (value instanceof Boolean flag) {
      return room(out, 1).put((byte) (flag ? 1 : 0));
    }
    if (value instanceof UUID uuid) {
      return room(out, 16)
          .putLong(uuid.getMostSignificantBits())
          .putLong(uuid.getLeastSignificantBits());
    }
    if (value instanceof LocalDate date) {
      return room(out, 8).putLong(date.toEpochDay());
    }
    // a timestamp as its microseconds: an event's offset (any) and a file's (UTC) read the same
    if (value instanceof java.time.OffsetDateTime timestamp) {
      return room(out, 8).putLong(DateTimeUtil.microsFromTimestamptz(timestamp));
    }
    if (value instanceof java.time.LocalDateTime timestamp) {
      return room(out, 8).putLong(DateTimeUtil.microsFromTimestamp(timestamp));
    }
    byte[] bytes;
    if (value instanceof CharSequence text) {
      bytes = text.toString().getBytes(StandardCharsets.UTF_8);
    } else if (value instanceof BigDecimal decimal
        && type instanceof Types.DecimalType decimalType) {
      try {
        bytes = decimal.setScale(decimalType.scale()).unscaledValue().toByteArray();
      } catch (ArithmeticException notAtScale) {
        return null;
      }
    } else {
      return null;
    }
    return room(out, 4 + bytes.length).putInt(bytes.length).put(bytes);
  }

  private static ByteBuffer room(ByteBuffer out, int bytes) {
    if (out.remaining() >= bytes) {
      return out;
    }
    ByteBuffer larger = ByteBuffer.allocate(Math.max(out.capacity() * 2, out.position() + bytes));
    return larger.put(out.array(), 0, out.position());
  }
}
