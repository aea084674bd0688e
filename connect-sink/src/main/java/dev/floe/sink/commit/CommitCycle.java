package dev.floe.sink.commit;

import dev.floe.common.debezium.Operation;
import dev.floe.sink.errors.RetryBudget;
import dev.floe.sink.event.ChangeEvent;
import dev.floe.sink.event.RecordCoordinates;
import dev.floe.sink.fill.CommittedRows;
import dev.floe.sink.fill.Refusals;
import dev.floe.sink.metrics.SinkMetrics;
import dev.floe.sink.schema.KeyEvolver;
import dev.floe.sink.schema.SchemaEvolver;
import dev.floe.sink.schema.TableIncarnation;
import dev.floe.sink.write.KeyChangedException;
import dev.floe.sink.write.TableFlush;
import dev.floe.sink.write.TableWriter;
import dev.floe.sink.write.TableWriters;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;

/**
 * The task's write-then-commit loop: changes go into the table writers; at each commit every
 * table's buffer is written to files and committed as one snapshot per table, and only then do the
 * consumed offsets become safe to hand to Connect. Connect's task thread and the commit clock both
 * call in, so every method holds the same lock.
 */
public final class CommitCycle {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CommitCycle.class);
  private static final long KEY_CHANGE_POLL_MS = 250;
  private final TableWriters writers;
  private final SnapshotCommitter committer;
  private final CommittedOffsets offsets = new CommittedOffsets();
  private final AppliedOffsets applied;
  private final int flushMaxRecords;
  private final long flushMaxBytes;
  private final RetryBudget retries;
  private final SchemaEvolver evolver;
  private final KeyEvolver keys = new KeyEvolver();
  private final SinkMetrics metrics;
  private final CommittedRows committedRows;
  private final Refusals refusals;
  private long nextEarlyCommitMs;
  private long nextHeldAttemptMs;
  private RuntimeException failure; // the first failed commit: fail-stop from then on
  private final Map<TopicPartition, Long> readAgain = new java.util.HashMap<>();
  // set with readAgain: read without the lock by the task for every record it hands over
  private volatile boolean mustReadAgain;
  private final TableFeeds feeds;

  /** See {@link CommitCycleBuilder}, the one place a cycle is put together. */
  CommitCycle(CommitCycleBuilder parts) {
    this.writers = parts.writers;
    this.applied = parts.applied;
    this.committer = new SnapshotCommitter(parts.connector, parts.applied);
    this.flushMaxRecords = parts.flushMaxRecords;
    this.flushMaxBytes = parts.flushMaxBytes;
    this.retries = parts.retries;
    this.evolver = parts.evolver;
    this.metrics = parts.metrics;
    this.committedRows = parts.committedRows;
    this.refusals = parts.refusals;
    this.feeds = parts.feeds;
    metrics.buffer(writers::pendingEvents, writers::pendingBytes);
  }

  /**
   * Buffers one change, unless its table already holds it (a replay); commits early when the buffer
   * reaches its bound. False, with nothing done, when the change must land after everything read
   * before it (a schema or key change, a truncate, a table created again) and a buffered row waits
   * for another task's commit: the caller holds the change's partition back and offers the change
   * again shortly, reading its other partitions meanwhile (see {@link HeldPartitions}).
   */
  public synchronized boolean apply(ChangeEvent event) {
    failStop();
    if (event.isTombstone() && !writers.appliesTombstones()) {
      consumed(event.coordinates());
      return true;
    }
    try {
      buffer(event);
    } catch (MustWait held) {
      return false;
    }
    consumed(event.coordinates());
    if ((writers.pendingEvents() >= flushMaxRecords || writers.pendingBytes() >= flushMaxBytes)
        && System.currentTimeMillis() >= nextEarlyCommitMs
        && !commit(true)) {
      // a row waits for another task's commit: keep reading (the old row may be on one of this
      // task's partitions) and try again shortly; the wait is bounded by its timeout
      nextEarlyCommitMs = System.currentTimeMillis() + KEY_CHANGE_POLL_MS;
    }
    return true;
  }

  private void buffer(ChangeEvent event) {
    TableWriter writer = writers.writerFor(event);
    if (writer != null && applied.alreadyApplied(writer.table(), event.coordinates())) {
      // a replay, after a rebalance: this task may have taken the table over with nothing new
      feeds.fed(writer.table().name(), List.of(event.coordinates().topicPartition()));
    } else if (writer != null) {
      if (event.operation() == Operation.TRUNCATE) {
        landBefore(); // what came before the truncate lands first, in its own snapshots
        committedRows.forget(writer.table().name());
        retries.run(
            "Truncating " + writer.table().name(), () -> committer.truncate(writer.table(), event));
      } else {
        TableWriter current = evolvedFor(writer, event);
        if (current != null) { // else a change of a Postgres table dropped since: not written
          writers.write(current, event);
        }
      }
    }
  }

  /**
   * Commits everything buffered before a change that must land after it, or throws {@link MustWait}
   * when a buffered row waits for another task's commit. Waiting here would stop this task reading:
   * both tasks meet a schema change at about the same time, and the rows each waits for may be on
   * the other's partitions, not read yet.
   */
  private void landBefore() {
    long now = System.currentTimeMillis();
    if (now < nextHeldAttemptMs || !commit(true)) {
      nextHeldAttemptMs = now + KEY_CHANGE_POLL_MS; // each attempt may read rows back from tables
      throw new MustWait();
    }
  }

  /** A change held back: thrown before anything of it was done, caught in {@link #apply}. */
  private static final class MustWait extends RuntimeException {
    MustWait() {
      super(null, null, false, false);
    }
  }

  /**
   * The writer for {@code event}, after the table's schema (and key) were changed to take it if
   * needed. Rows of the old shape are committed first, in their own snapshot, so no flush mixes two
   * schemas or two keys.
   */
  private TableWriter evolvedFor(TableWriter writer, ChangeEvent event) {
    if (event.rowSchema() != null
        && evolver.needsEvolution(writer.schema(), writer.table(), event)) {
      TableIncarnation incarnation = evolver.incarnation(writer.table(), event);
      if (incarnation == TableIncarnation.DROPPED_SINCE) {
        LOG.debug("Skipped a change of a table dropped since: {}", event.coordinates());
        return null; // its rows went with the table
      }
      if (incarnation == TableIncarnation.CREATED_AGAIN) {
        emptyForTableCreatedAgain(writer, event);
      }
      TableWriter current = writer;
      if (incarnation == TableIncarnation.SAME
          && !evolver.changesSchema(writer.schema(), writer.table(), event)) {
        // only which Postgres column each column is: the buffer's rows fit as they are, so nothing
        // is committed first (a commit here would wait for rows of other tasks' key changes,
        // while those tasks may wait the same way)
        retries.run(
            "Recording the column numbers of " + writer.table().name(),
            () -> evolver.evolve(current.table(), event));
        return evolvedForKey(writer, event);
      }
      // decided before anything is committed: a refused row costs no snapshot
      evolver.refuseIfNotAllowed(writer.table(), event.rowSchema());
      landBefore();
      retries.run(
          "Evolving the schema of " + writer.table().name(),
          () -> evolver.evolve(current.table(), event));
      committedRows.forget(writer.table().name()); // values of the old types
      writer = writers.reopen(writer);
    }
    return evolvedForKey(writer, event);
  }

  /** The writer for {@code event} after the table's key was changed to its key if needed. */
  private TableWriter evolvedForKey(TableWriter writer, ChangeEvent event) {
    if (writer.key() != null
        && writer.key().isReplacedBy(event)
        && !evolver.namesKeyBeforeRename(writer.table(), writer.key(), event)) {
      // the primary key changed: rows keyed the old way land first, in their own snapshot
      landBefore();
      TableWriter current = writer;
      retries.run(
          "Changing the key of " + writer.table().name(),
          () -> keys.evolve(current.table(), event));
      committedRows.forget(writer.table().name()); // rows keyed the old way
      writer = writers.reopen(writer);
    }
    return writer;
  }

  /**
   * The old table's rows go, as they did in Postgres with the table: what came before lands first,
   * then one snapshot empties the table, unless another task did so meanwhile.
   */
  private void emptyForTableCreatedAgain(TableWriter writer, ChangeEvent event) {
    landBefore();
    retries.run(
        "Emptying " + writer.table().name() + " for its Postgres table created again",
        () ->
            committer.emptyForTableCreatedAgain(
                writer.table(),
                event,
                table -> evolver.incarnation(table, event) == TableIncarnation.CREATED_AGAIN));
    committedRows.forget(writer.table().name());
    LOG.info(
        "{}'s Postgres table was dropped and created again under its name: its rows before {}"
            + " are gone from the Iceberg table, as from Postgres",
        writer.table().name(),
        event.coordinates());
  }

  /** Notes a record that carries no change (a tombstone), so its offset can be committed too. */
  public synchronized void consumed(RecordCoordinates at) {
    offsets.consumed(at.topicPartition(), at.offset());
  }

  /**
   * Writes and commits every table's buffer. If a table fails, the tables committed before it keep
   * their snapshot (each is idempotent to replay), the rest are discarded, and no offset advances.
   * A row waiting for a primary-key change's old row from another task is waited for, up to its
   * timeout.
   */
  public synchronized void commit() {
    commit(false);
  }

  /**
   * The commit clock's commit: as {@link #commit()}, but while a row waits for another task's
   * commit the whole commit is left for the next tick, so this task keeps reading meanwhile (the
   * old row may be on one of its own partitions, not read yet).
   */
  public synchronized void commitOnTime() {
    commit(true);
  }

  /**
   * Before this task's partitions move: commits, or when a row waits for another task's commit,
   * commits nothing and drops every buffer. Returns the offsets to read again from then (per
   * partition, the first offset read and not committed), empty after a commit.
   */
  public synchronized Map<TopicPartition, Long> commitOrRewind() {
    if (failure != null) {
      return Map.of(); // never commit over a discarded flush: the task fails and restarts
    }
    if (!commit(true)) {
      writers.discardAll();
      readAgain.putAll(offsets.rewind());
      mustReadAgain = !readAgain.isEmpty();
    }
    return takeReadAgain();
  }

  /** Whether {@link #takeReadAgain} has offsets, without taking the lock (checked per record). */
  public boolean mustReadAgain() {
    return mustReadAgain;
  }

  /**
   * The offsets to read again from, per partition, after a commit found that another task had
   * committed past where this task's buffer starts (its late commit while the partition moved):
   * this task's buffer was dropped, and reading again skips what the table holds. Empty mostly.
   */
  public synchronized Map<TopicPartition, Long> takeReadAgain() {
    Map<TopicPartition, Long> taken = Map.copyOf(readAgain);
    readAgain.clear();
    mustReadAgain = false;
    return taken;
  }

  /** True when committed, false when postponed (or dropped to be read again). */
  private boolean commit(boolean mayPostpone) {
    failStop();
    long deadline = retries.deadline(); // one budget for the whole commit, not one per table
    try {
      if (!fillUnavailable(mayPostpone, deadline)) {
        LOG.debug("Commit postponed: a row waits for another task's key change");
        return false;
      }
      for (TableWriter writer : writers.pending()) {
        // each attempt writes fresh files from the kept buffer: a failed attempt's files are
        // never referenced, and a passing outage (S3, catalog, network) costs only time
        retries.run(
            "Committing to " + writer.table().name(),
            () -> {
              long started = System.nanoTime();
              TableFlush flush = writer.flush();
              if (flush != null) {
                committer.commit(flush);
                Map<org.apache.iceberg.StructLike, org.apache.iceberg.data.Record> rows =
                    writer.rowsByKey();
                if (rows != null) {
                  committedRows.committed(writer.table(), rows);
                }
                metrics.committed(flush, (System.nanoTime() - started) / 1_000_000);
                feeds.fed(flush.table().name(), flush.nextOffsets().keySet());
              }
            },
            deadline);
        writers.committed(writer);
      }
    } catch (StaleAssignmentException | KeyChangedException movedOn) {
      // another task committed these partitions further: what this task buffered is older than
      // the table, so it is dropped and read again, which skips what the table holds
      LOG.warn("{} Reading the buffered records again.", movedOn.getMessage());
      writers.reopenAll();
      applied.forgetAll();
      committedRows.forget(null);
      readAgain.putAll(offsets.rewind());
      mustReadAgain = !readAgain.isEmpty();
      return false;
    } catch (RuntimeException e) {
      // the buffers are gone, and with them changes Kafka will not deliver again to this task:
      // nothing may be applied or committed after them until the task restarts from what the
      // tables hold (a later commit would record offsets past the lost changes)
      writers.discardAll();
      failure =
          e instanceof ConnectException && !(e instanceof DataException)
              ? e
              : new ConnectException("Committing to Iceberg failed: " + e.getMessage(), e);
      throw failure;
    }
    offsets.allConsumedCommitted();
    return true;
  }

  /** After a failed commit, refuses everything until the task restarts. */
  private void failStop() {
    if (failure != null) {
      throw new ConnectException(
          "A commit to Iceberg failed ("
              + failure.getMessage()
              + "); this task applies and commits nothing more until it restarts from what the"
              + " tables hold, so no change is skipped",
          failure);
    }
  }

  /**
   * Completes every buffered row with the values Postgres did not send, before anything is written;
   * false when the commit is postponed.
   */
  private boolean fillUnavailable(boolean mayPostpone, long deadline) {
    while (true) {
      boolean ready = true;
      for (TableWriter writer : writers.pending()) {
        boolean[] filled = {true};
        retries.run(
            "Reading the last state of rows of " + writer.table().name(),
            () -> {
              filled[0] = writer.fillUnavailable(committedRows, refusals);
              // old rows of key changes go out now, even if this buffer waits: another task may
              // be waiting for them, maybe while this one waits for that one's
              for (TableFlush before = writer.flushStatesBeforeKeyChanges();
                  before != null;
                  before = writer.flushStatesBeforeKeyChanges()) {
                committer.commit(before);
                writer.statesBeforeKeyChangesCommitted();
              }
            },
            deadline);
        ready &= filled[0];
      }
      if (ready || mayPostpone) {
        return ready;
      }
      try {
        Thread.sleep(KEY_CHANGE_POLL_MS); // bounded: each waiting row gives up at its timeout
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new org.apache.kafka.connect.errors.ConnectException(
            "Interrupted while waiting for another task's commit", e);
      }
    }
  }

  public synchronized Map<TopicPartition, OffsetAndMetadata> safeOffsets() {
    return offsets.safeToCommit();
  }

  public synchronized void forget(Collection<TopicPartition> partitions) {
    offsets.forget(partitions);
  }

  /** New partitions: what the tables hold may have moved on under other tasks, so read it again. */
  public synchronized void assigned() {
    applied.forgetAll();
    committedRows.forget(null);
  }
}
