package dev.floe.bench;

import dev.floe.sink.commit.CommitCycle;
import dev.floe.sink.event.ChangeEvent;
import dev.floe.sink.index.KeyIndexes;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.catalog.TableIdentifier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput of Floe's apply path: parsed Debezium changes go through {@link CommitCycle#apply}
 * (replay check, fold by key, buffer) and, once a flush is full, into Parquet data files and
 * equality deletes committed as one {@code RowDelta} to a real table on the local disk. One
 * benchmark operation is one whole flush, so the commit's cost is spread over its events the way it
 * is in a running task; the {@code events} line is the figure to read (events per second).
 *
 * <p>Parsing and JSON are left out on purpose (see {@link ChangeEventParseBenchmark}): each flush's
 * events are made before the timed part starts. The table keeps growing across flushes, as a real
 * one does, so later commits carry the metadata of earlier snapshots.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 10)
@Measurement(iterations = 3, time = 10)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class SinkApplyBenchmark {
  /**
   * Inserts only; half updates of existing keys; a fifth deletes (and 30% updates); half updates,
   * 30% of them with an unchanged TOAST value to fill from the key's last state ({@link ChangeMix};
   * {@code UPDATES_RECENT}, updates of the keys inserted last, and the two mixes with unordered
   * keys, {@code UPDATES_RECENT_UNORDERED} and {@code UPDATES_UNORDERED}, are run on request:
   * {@code -p mix=UPDATES_RECENT}).
   */
  @Param({"INSERTS", "UPDATES", "DELETES", "UPDATES_UNCHANGED_TOAST"})
  public ChangeMix mix;

  /** Events per flush: 100 000 is the connector's default {@code flush.max.records}. */
  @Param({"10000", "100000"})
  public int flushSize;

  /**
   * Whether the key index spares the equality deletes of new keys (the connector's default); false
   * measures the sink as it was without it, an equality delete for every key written.
   */
  @Param({"true"})
  public boolean keyIndex;

  /**
   * Whether earlier rows are found and deleted by position (the connector's default); false deletes
   * them by equality, with no read at the flush.
   */
  @Param({"true"})
  public boolean positionDeletes;

  /**
   * The table's format: 3 (the connector's default) writes deletion vectors, 2 position deletes.
   */
  @Param({"3"})
  public int formatVersion;

  /**
   * Every how many flushes the task restarts (a new task on the same table, as after a rebalance or
   * a worker's restart; 0: never): the first flush after a restart includes the key index's build
   * from the whole table.
   */
  @Param({"0"})
  public int restartEvery;

  private int flushes;

  private LocalWarehouse warehouse;
  private ChangeStream stream;
  private CommitCycle cycle;
  private List<ChangeEvent> nextFlush;
  private long handedIn;

  @Setup(Level.Trial)
  public void openTable() {
    warehouse = new LocalWarehouse();
    stream = new ChangeStream(mix);
    startTask();
  }

  private void startTask() {
    cycle =
        UpsertTasks.of(
            warehouse.catalog(),
            formatVersion,
            new KeyIndexes(keyIndex, KeyIndexes.DEFAULT_MAX_BYTES, positionDeletes),
            flushSize);
  }

  /**
   * Fresh events (new offsets) for every flush: replayed offsets would be skipped as already
   * applied, which measures nothing. Made here, outside the timed part.
   */
  @Setup(Level.Invocation)
  public void makeFlush() {
    if (restartEvery > 0 && flushes++ % restartEvery == restartEvery - 1) {
      startTask();
    }
    nextFlush = stream.events(flushSize);
    handedIn += flushSize; // each setup is followed by its invocation
  }

  @Benchmark
  public void applyOneFlush(RowCounter counter) {
    for (ChangeEvent event : nextFlush) {
      cycle.apply(event); // the last one reaches flushSize and commits
    }
    cycle.commit(); // nothing left to commit: kept so a changed bound cannot skew the result
    counter.events += nextFlush.size();
  }

  @TearDown(Level.Trial)
  public void dropTable() throws IOException {
    try {
      WrittenCheck.eventsCommitted(
          warehouse.catalog().loadTable(TableIdentifier.of("cdc", "public_orders")), handedIn);
    } finally {
      warehouse.close(); // also when the check fails
    }
  }
}
