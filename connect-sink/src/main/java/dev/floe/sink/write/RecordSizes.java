package dev.floe.sink.write;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.StructLike;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;

/**
 * The heap a buffered row takes, for {@code flush.max.bytes}: the bound must hold whatever the rows
 * hold (a few wide JSON documents can outweigh a million narrow rows), so the estimate follows what
 * the JVM really allocates for each value, not the value's width in Postgres. It counts the objects
 * a row keeps alive: the record and its value array, each boxed value (a {@code Long}, a {@code
 * BigDecimal} with its {@code BigInteger}, a timestamp as its date and time objects), strings as
 * Java 17 stores them (one byte per character when every character is Latin-1, else two), lists and
 * maps with their arrays and entries; and per key, what the fold by key adds ({@link #KEY_ENTRY}
 * plus the key record).
 *
 * <p>Sizes are HotSpot's on a 64-bit JVM with compressed references (heaps under 32 GB, as Connect
 * workers run): 12-byte object headers, 4-byte references, objects padded to 8 bytes. It runs once
 * per change event, so it reads each value once and allocates nothing (see {@link #decimal}); the
 * one loop over data is the scan of a string's characters, needed to tell Latin-1 text (half the
 * bytes) from the rest.
 */
final class RecordSizes {
  private static final int HEADER = 12;
  private static final int REF = 4;
  private static final long ARRAY_HEADER = 16;
  private static final long BOXED_INT = 16; // Integer, Float
  private static final long BOXED_LONG = 24; // Long, Double: 12 + 8, padded
  private static final long STRING = 24;
  private static final long BIG_DECIMAL = 40;
  private static final long BIG_INTEGER = 40;
  private static final long TIME_PART = 24; // LocalDate, LocalTime, LocalDateTime, OffsetDateTime
  private static final long UUID_SIZE = 32;
  private static final long HEAP_BYTE_BUFFER = 56;
  private static final long ARRAY_LIST = 24;
  private static final long HASH_MAP = 56; // a LinkedHashMap: HashMap's fields, head, tail, order
  private static final long MAP_ENTRY = 40; // LinkedHashMap.Entry: hash, key, value, next, links
  private static final long RECORD = 32; // GenericRecord: struct, size, values, nameToPos

  /**
   * What one key adds to the buffer besides its key record: the {@code HashMap.Node} (32 bytes) of
   * the fold map ({@code KeyMap}), the {@code StructLikeWrapper} around the key (32) with its boxed
   * hash code (16), and the node's share of the hash table (4-byte slots, one to two per entry
   * between resizes: 8 on average).
   */
  static final long KEY_ENTRY = 32 + 32 + BOXED_INT + 8;

  /** A reference in an ArrayList that grows by half when full: a quarter spare on average. */
  static final long LIST_SLOT = 5;

  private RecordSizes() {}

  /** The bytes {@code value} keeps alive, itself included; 0 for null and shared instances. */
  static long estimate(Object value) {
    if (value == null || value instanceof Boolean) {
      return 0; // Boolean.TRUE and FALSE are shared
    }
    // final classes first, each one compare: a failed test for an interface (StructLike,
    // CharSequence, ...) scans the value's class's interfaces every time (Java 17 caches only a
    // class's last match, in one entry: JDK-8180450); over a row's strings, numbers and times that
    // was a third of buffering (docs/benchmarks.md)
    if (value instanceof String text) {
      return string(text);
    }
    if (value instanceof Integer i) {
      return i >= -128 && i <= 127 ? 0 : BOXED_INT; // Integer.valueOf's cache
    }
    if (value instanceof Long l) {
      return l >= -128 && l <= 127 ? 0 : BOXED_LONG;
    }
    if (value instanceof Double) {
      return BOXED_LONG;
    }
    if (value instanceof Float) {
      return BOXED_INT;
    }
    if (value instanceof BigDecimal decimal) {
      return decimal(decimal);
    }
    if (value instanceof OffsetDateTime) {
      return 4 * TIME_PART; // itself, its LocalDateTime, that one's date and time (offset shared)
    }
    if (value instanceof LocalDateTime) {
      return 3 * TIME_PART;
    }
    if (value instanceof LocalDate || value instanceof LocalTime) {
      return TIME_PART;
    }
    if (value instanceof UUID) {
      return UUID_SIZE;
    }
    if (value instanceof ByteBuffer bytes) {
      return HEAP_BYTE_BUFFER + array(bytes.hasArray() ? bytes.array().length : 0);
    }
    if (value instanceof byte[] bytes) {
      return array(bytes.length);
    }
    if (value instanceof StructLike struct) {
      return record(struct);
    }
    if (value instanceof CharSequence text) {
      return string(text);
    }
    if (value instanceof Collection<?> list) {
      return list(list);
    }
    if (value instanceof Map<?, ?> map) {
      return map(map);
    }
    if (value instanceof Struct struct) { // a Connect key's struct value
      long size = RECORD + array((long) REF * struct.schema().fields().size());
      for (Field field : struct.schema().fields()) {
        size += estimate(struct.get(field));
      }
      return size;
    }
    return HEADER + REF; // an object of an unexpected kind: at least a header and a field
  }

  /** A record with its value array and values. */
  private static long record(StructLike struct) {
    int fields = struct.size();
    long size = RECORD + array((long) REF * fields);
    for (int i = 0; i < fields; i++) {
      size += estimate(struct.get(i, Object.class));
    }
    return size;
  }

  /** What a key's record costs: the fold map holds one per key, besides the row. */
  static long keyRecord(Struct key) {
    long size = RECORD + array((long) REF * key.schema().fields().size());
    for (Field field : key.schema().fields()) {
      size += estimate(key.get(field));
    }
    return size;
  }

  /**
   * A String and its byte array: one byte per character when all are Latin-1 (Java 9+ compact
   * strings), else two.
   */
  private static long string(CharSequence text) {
    int length = text.length();
    if (!(text instanceof String)) {
      return HEADER + REF + array(2L * length); // a builder or a buffer: UTF-16 at worst
    }
    String s = (String) text;
    for (int i = 0; i < length; i++) {
      if (s.charAt(i) > 0xFF) {
        return STRING + array(2L * length);
      }
    }
    return STRING + array(length);
  }

  /**
   * A BigDecimal whose unscaled value fits a long holds it in a field, and may keep a BigInteger of
   * it as well (one made from a BigInteger, as Connect's {@code Decimal} does, keeps that one): the
   * BigInteger is counted, generous by its ~40 bytes when there is none. Telling them apart costs a
   * new BigInteger per value ({@code unscaledValue()} makes one each call when none is kept), which
   * was a tenth of the estimate's time. A longer one always holds its BigInteger.
   */
  private static long decimal(BigDecimal decimal) {
    if (decimal.precision() <= 18) {
      return BIG_DECIMAL + BIG_INTEGER + array(8);
    }
    return BIG_DECIMAL
        + BIG_INTEGER
        + array(4L * ((decimal.unscaledValue().bitLength() + 31) / 32));
  }

  /** An ArrayList: its array has about a quarter spare (it grows by half when full). */
  private static long list(Collection<?> list) {
    int n = list.size();
    long size = ARRAY_LIST + (n == 0 ? 0 : array((long) REF * (n + n / 4)));
    for (Object item : list) {
      size += estimate(item);
    }
    return size;
  }

  /** A LinkedHashMap: its table (a power of two, at most 3/4 full), entries, keys and values. */
  private static long map(Map<?, ?> map) {
    int n = map.size();
    long size = HASH_MAP;
    if (n > 0) {
      int slots = Integer.highestOneBit(Math.max(16, (int) (n / 0.75f)) - 1) << 1;
      size += array((long) REF * slots) + n * MAP_ENTRY;
    }
    for (Map.Entry<?, ?> e : map.entrySet()) {
      size += estimate(e.getKey()) + estimate(e.getValue());
    }
    return size;
  }

  /** An array of {@code bytes} payload bytes: a 16-byte header, padded to 8. */
  private static long array(long bytes) {
    return (ARRAY_HEADER + bytes + 7) & ~7L;
  }
}
