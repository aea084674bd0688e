package dev.floe.sink.write;

import dev.floe.sink.event.ChangeEvent;
import dev.floe.sink.event.SourcePosition;
import java.util.HashMap;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.WriteResult;
import org.apache.kafka.common.TopicPartition;

/**
 * What one buffer covers, whatever it holds: per Kafka partition the first and the next offset, the
 * largest source position and the number of changes. It becomes the snapshot summary on commit.
 */
final class FlushCoverage {
  private Map<TopicPartition, Long> firstOffsets = new HashMap<>();
  private Map<TopicPartition, Long> nextOffsets = new HashMap<>();
  private SourcePosition watermark = SourcePosition.UNKNOWN;
  private int events;
  private long bytes;

  void add(ChangeEvent event, Object buffered) {
    bytes += RecordSizes.estimate(buffered);
    TopicPartition tp = event.coordinates().topicPartition();
    firstOffsets.merge(tp, event.coordinates().offset(), Math::min);
    nextOffsets.merge(tp, event.coordinates().offset() + 1, Math::max);
    watermark = watermark.max(event.position());
    events++;
  }

  int events() {
    return events;
  }

  long bytes() {
    return bytes;
  }

  TableFlush flushOf(Table table, WriteResult files) {
    return new TableFlush(
        table, files, Map.copyOf(firstOffsets), Map.copyOf(nextOffsets), watermark, events);
  }

  void clear() {
    firstOffsets = new HashMap<>();
    nextOffsets = new HashMap<>();
    watermark = SourcePosition.UNKNOWN;
    events = 0;
    bytes = 0;
  }
}
