package dev.floe.sink.commit;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.IllegalWorkerStateException;
import org.apache.kafka.connect.sink.SinkTaskContext;

/**
 * Partitions held back at a change that must land after everything read before it (a schema or key
 * change, a truncate, a table created again) while a buffered row waits for another task's commit.
 * The task rewinds such a partition to the held change and pauses it for a moment, and reads its
 * other partitions meanwhile: the rows the other task waits for may be on them. Waiting in place
 * would stop this task reading, and two tasks meeting one schema change at about the same time,
 * each with a row waiting for the other's, would wait for each other until the rows' timeout.
 */
public final class HeldPartitions {
  /** How long a held partition rests before its change is offered again. */
  static final long HOLD_MS = 250;

  private final Map<TopicPartition, Long> held = new HashMap<>(); // partition → the held change
  // paused by this task and not resumed: a partition that moved away while held is resumed when
  // it comes back, or Connect would keep it paused
  private final Set<TopicPartition> paused = new HashSet<>();
  private long releaseAtMs;

  /** Holds {@code partition} back from the change at {@code offset} on. */
  public void hold(TopicPartition partition, long offset) {
    held.merge(partition, offset, Math::min);
  }

  /**
   * The held partitions and the offsets of their held changes: a record of one, if any came while
   * it is paused, is not applied before the held change, and the partition is rewound to it again.
   */
  public Map<TopicPartition, Long> offsets() {
    return held;
  }

  /**
   * After a batch: pauses the partitions held in it (the task rewinds them to the held change) and
   * has Connect call again by the time they are due.
   */
  public void pauseHeld(SinkTaskContext context) {
    Set<TopicPartition> newly = new HashSet<>(held.keySet());
    newly.removeAll(paused);
    if (!newly.isEmpty()) {
      context.pause(newly.toArray(TopicPartition[]::new));
      paused.addAll(newly);
      releaseAtMs = System.currentTimeMillis() + HOLD_MS;
    }
    comeBackWhenDue(context);
  }

  /** Before a batch: held partitions that rested long enough are read again, from their change. */
  public void releaseDue(SinkTaskContext context) {
    if (held.isEmpty()) {
      return;
    }
    if (System.currentTimeMillis() < releaseAtMs) {
      comeBackWhenDue(context);
      return;
    }
    resume(context, held.keySet());
    held.clear();
  }

  /** Partitions moving away are no longer held: whoever reads them next starts at their commit. */
  public void revoked(Collection<TopicPartition> partitions, SinkTaskContext context) {
    Set<TopicPartition> leaving = new HashSet<>(partitions);
    leaving.retainAll(held.keySet());
    held.keySet().removeAll(leaving);
    resume(context, leaving);
  }

  /** Partitions coming (back) to this task: none stays paused from a hold before it moved. */
  public void assigned(Collection<TopicPartition> partitions, SinkTaskContext context) {
    Set<TopicPartition> stale = new HashSet<>(partitions);
    stale.retainAll(paused);
    stale.removeAll(held.keySet());
    resume(context, stale);
  }

  private void comeBackWhenDue(SinkTaskContext context) {
    // Connect's poll waits up to this long, then calls put (with no records if none came)
    context.timeout(Math.max(1, releaseAtMs - System.currentTimeMillis()));
  }

  private void resume(SinkTaskContext context, Set<TopicPartition> partitions) {
    for (TopicPartition partition : Set.copyOf(partitions)) {
      try {
        context.resume(partition);
        paused.remove(partition);
      } catch (IllegalWorkerStateException notAssigned) {
        // moved away meanwhile: resumed by assigned() if it comes back
      }
    }
  }
}
