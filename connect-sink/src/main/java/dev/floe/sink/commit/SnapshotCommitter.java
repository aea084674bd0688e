package dev.floe.sink.commit;

import dev.floe.sink.event.ChangeEvent;
import dev.floe.sink.event.SourcePosition;
import dev.floe.sink.index.SmallPlans;
import dev.floe.sink.summary.CommitSummary;
import dev.floe.sink.write.TableFlush;
import java.util.HashMap;
import java.util.Map;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.RowDelta;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotUpdate;
import org.apache.iceberg.Table;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.exceptions.RuntimeIOException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits one flush of one table as exactly one {@link RowDelta}: its data and delete files become
 * visible together, and the snapshot summary records what the flush covered (next Kafka offset per
 * partition, source watermark), which is what a restarted task resumes from.
 *
 * <p>The commit is a compare-and-set: it is validated against the snapshot at which this task last
 * checked who committed what, and fails if another task committed one of its partitions further.
 */
public final class SnapshotCommitter {
  private static final int MAX_ATTEMPTS = 20;
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotCommitter.class);

  private final String connectorName;
  private final AppliedOffsets applied;

  public SnapshotCommitter(String connectorName, AppliedOffsets applied) {
    this.connectorName = connectorName;
    this.applied = applied;
  }

  public void commit(TableFlush flush) {
    long started = System.nanoTime();
    Table table = flush.table();
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      Checked checked = check(table, flush.firstOffsets());
      Snapshot base = checked.base();
      java.util.List<org.apache.iceberg.DeleteFile> byPosition = new java.util.ArrayList<>();
      RowDelta delta = rowDelta(flush, base, recorded(checked, flush.nextOffsets()), byPosition);
      Failpoint.beforeCommit(flush.nextOffsets().keySet());
      try {
        delta.commit();
      } catch (CommitStateUnknownException unknown) {
        if (!landed(table, flush.nextOffsets(), checked.view().syncedSnapshotId())) {
          throw new RuntimeIOException(
              new java.io.IOException("commit state unknown and not found in the table", unknown));
        }
        // it landed: carry on as after a commit that answered
      } catch (CommitFailedException lost) {
        PositionDeleteCommit.discard(table, byPosition);
        throw lost;
      } catch (ValidationException concurrentCommit) {
        PositionDeleteCommit.discard(table, byPosition);
        if (flush.newKeys() > 0) {
          // the flush wrote rows without deleting their keys, certain the table did not hold
          // them; a commit in between may hold some: the flush is written again (its retry), now
          // deleting those keys first
          throw new CommitFailedException(
              concurrentCommit,
              "%s changed while committing a flush of %s new keys; writing it again",
              table.name(),
              flush.newKeys());
        }
        // another writer committed rows of the same keys in between: check the fence against it,
        // then try again after a jittered pause, so racing tasks do not collide in lockstep
        LOG.debug("{} changed while committing; checking again", table.name(), concurrentCommit);
        pause(attempt);
        continue;
      }
      synced(table, checked, flush.nextOffsets());
      LOG.info(
          "Committed {} change events to {} ({} to {}): {} data and {} delete files in {} ms",
          flush.events(),
          table.name(),
          flush.firstOffsets(),
          flush.nextOffsets(),
          flush.files().dataFiles().length,
          flush.files().deleteFiles().length,
          (System.nanoTime() - started) / 1_000_000);
      return;
    }
    // a passing failure: the commit's retry budget decides how long to go on
    throw new CommitFailedException(
        "Could not commit to %s: rows of the same keys kept changing under %s tries",
        table.name(), MAX_ATTEMPTS);
  }

  private static void pause(int attempt) {
    long ms = Math.min(2_000, 25L << Math.min(attempt, 6));
    try {
      Thread.sleep(ms / 2 + java.util.concurrent.ThreadLocalRandom.current().nextLong(ms / 2 + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConnectException("Interrupted while retrying a commit", e);
    }
  }

  /**
   * Empties {@code table} for a Postgres {@code TRUNCATE}, as one snapshot that records the
   * truncate's offset, so a replay does not truncate again what was written after it. It removes
   * exactly the data files of the snapshot it checked, fenced and validated like a flush: a commit
   * that lands in between (another task's rows, a compaction) is not swept away by a retry.
   */
  public void truncate(Table table, ChangeEvent truncate) {
    empty(table, truncate, truncate.coordinates().offset() + 1, current -> true);
  }

  /**
   * Empties {@code table} because its Postgres table was dropped and created again under its name:
   * as a truncate, but {@code first}, the first change of the new table, is not covered (it is
   * written next, and read again after a crash), and nothing is removed once {@code stillOld} does
   * not hold for the table as the attempt finds it (another task emptied it first, and may have
   * written the new table's rows since).
   */
  public void emptyForTableCreatedAgain(
      Table table, ChangeEvent first, java.util.function.Predicate<Table> stillOld) {
    empty(table, first, first.coordinates().offset(), stillOld);
  }

  private void empty(
      Table table,
      ChangeEvent truncate,
      long nextOffset,
      java.util.function.Predicate<Table> needed) {
    TopicPartition tp = truncate.coordinates().topicPartition();
    Map<TopicPartition, Long> covered = Map.of(tp, nextOffset);
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      Checked checked = check(table, Map.of(tp, truncate.coordinates().offset()));
      if (!needed.test(table)) {
        return;
      }
      Snapshot base = checked.base();
      RowDelta delete = table.newRowDelta();
      if (base != null) {
        removeDataFiles(table, base, delete);
        delete.validateFromSnapshot(base.snapshotId()).validateDeletedFiles();
      }
      int events = (int) (nextOffset - truncate.coordinates().offset()); // 1 if it covers it
      summarize(
          delete, recorded(checked, covered), truncate.position(), events, java.util.Set.of());
      Failpoint.beforeCommit(covered.keySet());
      try {
        delete.commit();
      } catch (CommitStateUnknownException unknown) {
        if (!landed(table, covered, checked.view().syncedSnapshotId())) {
          throw new RuntimeIOException(
              new java.io.IOException(
                  "truncate state unknown and not found in the table", unknown));
        }
      } catch (ValidationException concurrentCommit) {
        pause(attempt); // a file it removes was rewritten meanwhile: look again
        continue;
      }
      synced(table, checked, covered);
      LOG.info("Truncated {} at {}", table.name(), truncate.coordinates());
      return;
    }
    throw new CommitFailedException(
        "Could not truncate %s: its files kept changing under %s tries",
        table.name(), MAX_ATTEMPTS);
  }

  private static void removeDataFiles(Table table, Snapshot base, RowDelta delete) {
    java.util.Set<String> removed = new java.util.HashSet<>();
    try (CloseableIterable<FileScanTask> files =
        table.newScan().useSnapshot(base.snapshotId()).planFiles()) {
      for (FileScanTask file : files) {
        if (removed.add(file.file().location())) {
          delete.removeRows(file.file());
        }
      }
    } catch (java.io.IOException e) {
      throw new RuntimeIOException(e);
    }
  }

  /** The snapshot a commit is built on, and what other tasks committed since this one looked. */
  private record Checked(
      Snapshot base, AppliedOffsets.TableView view, Map<TopicPartition, Long> since) {}

  /** Reads the table again and fences a commit whose changes start at {@code firstOffsets}. */
  private Checked check(Table table, Map<TopicPartition, Long> firstOffsets) {
    table.refresh();
    Snapshot base = table.currentSnapshot();
    AppliedOffsets.TableView view = applied.view(table);
    Map<TopicPartition, Long> since = applied.committedSince(table, base, view.syncedSnapshotId());
    fence(table, firstOffsets, since);
    return new Checked(base, view, since);
  }

  /**
   * What a commit records: the next offset of every partition the table holds, not only of those it
   * covers, so the newest snapshot alone says where each partition resumes and expiring older
   * snapshots loses nothing. Values of other tasks' partitions may lag theirs by a commit that
   * races this one; offsets are merged by maximum, so a lagging value never wins.
   */
  private static Map<TopicPartition, Long> recorded(
      Checked checked, Map<TopicPartition, Long> covered) {
    Map<TopicPartition, Long> all = new HashMap<>(checked.view().nextOffsets());
    checked.since().forEach((tp, next) -> all.merge(tp, next, Math::max));
    covered.forEach((tp, next) -> all.merge(tp, next, Math::max));
    return all;
  }

  /**
   * After a commit: what this task now knows the table holds, including what other tasks committed
   * while this commit was under way (the snapshots between the checked base and this commit's).
   */
  private void synced(Table table, Checked checked, Map<TopicPartition, Long> committed) {
    Map<TopicPartition, Long> next = recorded(checked, committed);
    Snapshot current = table.currentSnapshot();
    if (current.parentId() != null) {
      Long base = checked.base() == null ? null : checked.base().snapshotId();
      applied
          .committedSince(table, table.snapshot(current.parentId()), base)
          .forEach((tp, offset) -> next.merge(tp, offset, Math::max));
    }
    applied.synced(table, current.snapshotId(), next);
  }

  /** After an unknown commit outcome: does the table now record these next offsets? */
  private boolean landed(
      Table table, Map<TopicPartition, Long> nextOffsets, Long syncedSnapshotId) {
    table.refresh();
    Map<TopicPartition, Long> since =
        applied.committedSince(table, table.currentSnapshot(), syncedSnapshotId);
    return nextOffsets.entrySet().stream()
        .allMatch(e -> e.getValue().equals(since.get(e.getKey())));
  }

  private static void fence(
      Table table,
      Map<TopicPartition, Long> firstOffsets,
      Map<TopicPartition, Long> committedByOthers) {
    firstOffsets.forEach(
        (tp, first) -> {
          Long other = committedByOthers.get(tp);
          if (other != null && other > first) {
            throw new StaleAssignmentException(
                "Another task committed "
                    + tp
                    + " up to offset "
                    + other
                    + " in "
                    + table.name()
                    + ", beyond this task's flush starting at "
                    + first
                    + ": this task's assignment is stale. Its flush is dropped; the partition's "
                    + "owner applies those records.");
          }
        });
  }

  /** What every snapshot of the sink records: the source of truth for exactly-once. */
  private void summarize(
      SnapshotUpdate<?> update,
      Map<TopicPartition, Long> nextOffsets,
      SourcePosition watermark,
      int events,
      java.util.Set<Long> keyChangeLsns) {
    CommitSummary.write(update, connectorName, nextOffsets, watermark, events, keyChangeLsns);
  }

  private RowDelta rowDelta(
      TableFlush flush,
      Snapshot base,
      Map<TopicPartition, Long> recorded,
      java.util.List<org.apache.iceberg.DeleteFile> byPosition) {
    RowDelta delta = SmallPlans.inCallingThread(flush.table().newRowDelta());
    // before the validations below: it may check the data files against this base too
    byPosition.addAll(PositionDeleteCommit.attach(delta, flush, base));
    for (var file : flush.files().dataFiles()) {
      delta.addRows(file);
    }
    for (var file : flush.files().deleteFiles()) {
      delta.addDeletes(file);
    }
    if (base != null) {
      // only files that may hold this flush's keys conflict: other tasks write other keys, and a
      // table-wide check would fail every commit that races another task's
      delta.validateFromSnapshot(base.snapshotId());
      delta.conflictDetectionFilter(flush.conflictFilter());
      delta.validateNoConflictingDataFiles();
      delta.validateNoConflictingDeleteFiles();
    }
    summarize(delta, recorded, flush.watermark(), flush.events(), flush.keyChangeLsns());
    return delta;
  }
}
