package dev.floe.bench;

import dev.floe.sink.commit.CommitCycle;
import dev.floe.sink.commit.CommitCycleBuilder;
import dev.floe.sink.event.ChangeEvent;
import dev.floe.sink.route.TableProvisioner;
import dev.floe.sink.route.TableRouter;
import dev.floe.sink.write.TableWriters;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
 * The in-memory half of {@link SinkApplyBenchmark}: the same flushes through {@link
 * CommitCycle#apply} (routing, the replay check, row and key conversion, the fold by key, the
 * buffer's size estimate), but the buffer is dropped instead of written. Set beside the full apply
 * path, it splits a flush's time between buffering and writing plus committing.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 10)
@Measurement(iterations = 3, time = 10)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class SinkBufferBenchmark {
  private static final int FLUSH_SIZE = 100_000;

  @Param({"INSERTS", "UPDATES", "DELETES"})
  public ChangeMix mix;

  private LocalWarehouse warehouse;
  private ChangeStream stream;
  private TableWriters writers;
  private CommitCycle cycle;
  private List<ChangeEvent> nextFlush;

  @Setup(Level.Trial)
  public void openTable() {
    warehouse = new LocalWarehouse();
    stream = new ChangeStream(mix);
    writers =
        new TableWriters(
            new TableRouter("cdc"), new TableProvisioner(warehouse.catalog(), true, 2), 0);
    // a bound never reached: nothing is written, so the table stays empty
    cycle = CommitCycleBuilder.of(writers, "bench").flushMaxRecords(Integer.MAX_VALUE).build();
  }

  @Setup(Level.Invocation)
  public void makeFlush() {
    nextFlush = stream.events(FLUSH_SIZE);
  }

  @Benchmark
  public void bufferOneFlush(RowCounter counter) {
    for (ChangeEvent event : nextFlush) {
      cycle.apply(event);
    }
    writers.discardAll(); // what a failed commit does: the next flush starts empty
    counter.events += nextFlush.size();
  }

  @TearDown(Level.Trial)
  public void dropTable() throws IOException {
    warehouse.close();
  }
}
