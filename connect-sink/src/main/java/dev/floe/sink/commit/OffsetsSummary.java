package dev.floe.sink.commit;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;

/**
 * The form of Kafka offsets in a snapshot summary: {@code topic/partition=nextOffset},
 * comma-separated, sorted. A topic name cannot hold a comma or an equals sign, and the partition
 * follows the last slash.
 */
final class OffsetsSummary {
  private OffsetsSummary() {}

  static String encode(Map<TopicPartition, Long> offsets) {
    Map<String, Long> sorted = new TreeMap<>();
    offsets.forEach((tp, offset) -> sorted.put(tp.topic() + "/" + tp.partition(), offset));
    StringBuilder out = new StringBuilder();
    sorted.forEach(
        (tp, offset) ->
            out.append(out.length() == 0 ? "" : ",").append(tp).append('=').append(offset));
    return out.toString();
  }

  static Map<TopicPartition, Long> decode(String encoded) {
    Map<TopicPartition, Long> offsets = new HashMap<>();
    if (encoded == null || encoded.isEmpty()) {
      return offsets;
    }
    for (String entry : encoded.split(",")) {
      int eq = entry.lastIndexOf('=');
      int slash = entry.lastIndexOf('/', eq);
      offsets.put(
          new TopicPartition(
              entry.substring(0, slash), Integer.parseInt(entry.substring(slash + 1, eq))),
          Long.parseLong(entry.substring(eq + 1)));
    }
    return offsets;
  }
}
