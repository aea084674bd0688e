package dev.floe.sink.commit;

import dev.floe.sink.errors.RetryBudget;
import dev.floe.sink.fill.CommittedRowCache;
import dev.floe.sink.fill.CommittedRows;
import dev.floe.sink.fill.FillSettings;
import dev.floe.sink.fill.Refusals;
import dev.floe.sink.fill.TableScanRows;
import dev.floe.sink.metrics.SinkMetrics;
import dev.floe.sink.schema.SchemaEvolver;
import dev.floe.sink.write.TableWriters;
import org.apache.kafka.connect.errors.DataException;

/**
 * The one place a {@link CommitCycle} is put together: the task sets every part from its config;
 * tests and benchmarks set what they exercise and keep the defaults for the rest (no flush bound by
 * bytes, no retries, schema evolution on, no metrics, a fill cache of the default size, and a row
 * that cannot be completed failing the commit with the reason).
 */
public final class CommitCycleBuilder {
  final TableWriters writers;
  final String connector;
  AppliedOffsets applied;
  int flushMaxRecords = 100_000;
  long flushMaxBytes = Long.MAX_VALUE;
  RetryBudget retries = new RetryBudget(0);
  SchemaEvolver evolver = new SchemaEvolver(true);
  SinkMetrics metrics = SinkMetrics.NONE;
  CommittedRows committedRows;
  TableFeeds feeds = (table, partitions) -> {};
  Refusals refusals =
      (records, reason) -> {
        throw new DataException(reason);
      };

  private CommitCycleBuilder(TableWriters writers, String connector) {
    this.writers = writers;
    this.connector = connector;
    this.applied = new AppliedOffsets(connector);
  }

  /** A cycle of connector {@code connector} committing what {@code writers} buffer. */
  public static CommitCycleBuilder of(TableWriters writers, String connector) {
    return new CommitCycleBuilder(writers, connector);
  }

  public CommitCycleBuilder flushMaxRecords(int records) {
    this.flushMaxRecords = records;
    return this;
  }

  public CommitCycleBuilder flushMaxBytes(long bytes) {
    this.flushMaxBytes = bytes;
    return this;
  }

  public CommitCycleBuilder retries(RetryBudget budget) {
    this.retries = budget;
    return this;
  }

  public CommitCycleBuilder evolver(SchemaEvolver schemaEvolver) {
    this.evolver = schemaEvolver;
    return this;
  }

  public CommitCycleBuilder metrics(SinkMetrics sinkMetrics) {
    this.metrics = sinkMetrics;
    return this;
  }

  /** Where rows' committed states are looked up (a fill of a value Postgres did not send). */
  public CommitCycleBuilder committedRows(CommittedRows rows) {
    this.committedRows = rows;
    return this;
  }

  /** What happens to the changes of a row that cannot be completed. */
  public CommitCycleBuilder refusals(Refusals onRefused) {
    this.refusals = onRefused;
    return this;
  }

  /**
   * Tells {@code listener} which partitions feed which table: on each flush committed and each
   * record found already applied (table maintenance follows the partitions).
   */
  public CommitCycleBuilder feeds(TableFeeds listener) {
    this.feeds = listener;
    return this;
  }

  public CommitCycle build() {
    if (committedRows == null) {
      committedRows =
          new CommittedRowCache(new TableScanRows(), FillSettings.DEFAULT.cacheMaxBytes());
    }
    return new CommitCycle(this);
  }
}
