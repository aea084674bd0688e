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
  // per partition, the next offset after the last read, updated in place (a boxed Long per record
  // read was a large share of what the apply path allocated)
  private final Map<TopicPartition, long[]> consumed = new HashMap<>();
  private final Map<TopicPartition, Long> committed = new HashMap<>();
  // per partition, the first offset read since everything before it was committed
  private final Map<TopicPartition, Long> firstUncommitted = new HashMap<>();

  /**
   * Notes that the record at {@code offset} was read (applied, buffered, or skipped as a
   * tombstone).
   */
  public void consumed(TopicPartition partition, long offset) {
    long[] next = consumed.get(partition);
    if (next == null) {
      consumed.put(partition, new long[] {offset + 1});
    } else {
      next[0] = Math.max(next[0], offset + 1);
    }
    Long first = firstUncommitted.get(partition);
    if (first == null || offset < first) {
      firstUncommitted.put(partition, offset);
    }
  }

  /** Everything consumed so far is in committed snapshots now. */
  public void allConsumedCommitted() {
    consumed.forEach((tp, next) -> committed.put(tp, next[0]));
    firstUncommitted.clear();
  }

  /**
   * Forgets what was read and not committed, which is read again: per partition, the offset to read
   * from.
   */
  public Map<TopicPartition, Long> rewind() {
    Map<TopicPartition, Long> from = new HashMap<>(firstUncommitted);
    from.keySet().forEach(tp -> consumed.remove(tp));
    committed.forEach((tp, next) -> consumed.put(tp, new long[] {next}));
    firstUncommitted.clear();
    return from;
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
          firstUncommitted.remove(tp);
        });
  }
}
