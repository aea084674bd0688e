package dev.floe.sink.write;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.StructLike;

/**
 * A cheap estimate of the heap a buffered row takes, for {@code flush.max.bytes}: the bound must
 * hold whatever the rows hold (a few wide JSON documents can outweigh a million narrow rows), and
 * being somewhat generous only makes flushes a little earlier.
 */
final class RecordSizes {
  private static final long OVERHEAD = 16;

  private RecordSizes() {}

  static long estimate(Object value) {
    if (value == null) {
      return 8;
    }
    if (value instanceof CharSequence text) {
      return OVERHEAD + 2L * text.length();
    }
    if (value instanceof ByteBuffer bytes) {
      return OVERHEAD + bytes.remaining();
    }
    if (value instanceof StructLike struct) {
      long size = OVERHEAD;
      for (int i = 0; i < struct.size(); i++) {
        size += estimate(struct.get(i, Object.class));
      }
      return size;
    }
    if (value instanceof List<?> list) {
      long size = OVERHEAD;
      for (Object item : list) {
        size += estimate(item);
      }
      return size;
    }
    if (value instanceof Map<?, ?> map) {
      long size = OVERHEAD;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        size += estimate(e.getKey()) + estimate(e.getValue());
      }
      return size;
    }
    return OVERHEAD;
  }
}
