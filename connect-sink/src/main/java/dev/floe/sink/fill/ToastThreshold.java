package dev.floe.sink.fill;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Map;
import org.apache.iceberg.StructLike;

/**
 * Whether a row can have had a value Postgres stored out of line (TOAST): only then can a later
 * change leave that value out. Postgres moves values out of line only from rows larger than the
 * table's {@code toast_tuple_target}, which is never below 128 bytes; a row whose variable-length
 * values together take less (counted generously) never had one. Most rows of most tables are that
 * small, and the sink then spares the work that only an out-of-line value needs.
 */
public final class ToastThreshold {
  /** Below Postgres's smallest {@code toast_tuple_target} (128), with room for headers. */
  static final long SMALL_ROW_BYTES = 96;

  private ToastThreshold() {}

  /** False when {@code row} is too small to have held an out-of-line value. */
  public static boolean mayHaveOutOfLineValues(StructLike row) {
    return sizeOf(row) >= SMALL_ROW_BYTES;
  }

  private static long sizeOf(Object value) {
    if (value == null) {
      return 0;
    }
    if (value instanceof CharSequence text) {
      return 4L * text.length(); // up to four bytes a character in UTF-8
    }
    if (value instanceof ByteBuffer bytes) {
      return bytes.remaining();
    }
    if (value instanceof BigDecimal decimal) {
      return 8 + decimal.unscaledValue().bitLength() / 8;
    }
    if (value instanceof Collection<?> items) {
      long size = 16;
      for (Object item : items) {
        size += 16 + sizeOf(item);
      }
      return size;
    }
    if (value instanceof Map<?, ?> map) {
      long size = 16;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        size += 32 + sizeOf(e.getKey()) + sizeOf(e.getValue());
      }
      return size;
    }
    if (value instanceof StructLike struct) {
      long size = 0;
      for (int i = 0; i < struct.size(); i++) {
        size += sizeOf(struct.get(i, Object.class));
      }
      return size;
    }
    return 8; // numbers, dates, times, uuids, booleans: stored inline, counted anyway
  }
}
