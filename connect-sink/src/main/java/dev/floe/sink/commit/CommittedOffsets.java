package dev.floe.sink.commit;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * What this task may tell Connect to commit. A record's offset counts only once every change read
 * before it is in a committed snapshot, so {@code preCommit} never hands Connect an offset whose
 * data could be lost.
 */
public final class CommittedOffsets {
  private final Map<TopicPartition, Long> consumed = new HashMap<>();
  private final Map<TopicPartition, Long> committed = new HashMap<>();

  /**
   * Notes that the record at {@code offset} was read (applied, buffered, or skipped as a
   * tombstone).
   */
  public void consumed(TopicPartition partition, long offset) {
    consumed.merge(partition, offset + 1, Math::max);
  }

  /** Everything consumed so far is in committed snapshots now. */
  public void allConsumedCommitted() {
    committed.putAll(consumed);
  }

  /** The offsets safe to commit, for the partitions this task still owns. */
  public Map<TopicPartition, OffsetAndMetadata> safeToCommit() {
    Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
    committed.forEach((tp, next) -> out.put(tp, new OffsetAndMetadata(next)));
    return out;
  }

  public void forget(Collection<TopicPartition> partitions) {
    partitions.forEach(
        tp -> {
          consumed.remove(tp);
          committed.remove(tp);
        });
  }
}
