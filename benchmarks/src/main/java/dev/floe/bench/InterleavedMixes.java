package dev.floe.bench;

import dev.floe.sink.commit.CommitCycle;
import dev.floe.sink.commit.CommitCycleBuilder;
import dev.floe.sink.event.ChangeEvent;
import dev.floe.sink.fill.FillSettings;
import dev.floe.sink.index.KeyIndexes;
import dev.floe.sink.route.TableProvisioner;
import dev.floe.sink.route.TableRouter;
import dev.floe.sink.write.TableWriters;
import dev.floe.sink.write.WriteMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * Two change mixes through the apply path of {@link SinkApplyBenchmark}, one flush of each in turn
 * in the same JVM, each on its own table: what one mix costs against the other under the same
 * machine load, JIT state and table age, which two JMH runs apart (±10-30% on this machine) cannot
 * tell. Each flush's events are made beforehand and the heap collected before it is timed, so the
 * figure is the apply path's alone; the buffering (every event but the last) and the flush and
 * commit (the last event) are reported apart, as medians per block of ten flushes. At the end each
 * table is checked to hold what its stream made.
 *
 * <pre>
 * java -Xms2g -Xmx2g -cp benchmarks/target/benchmarks.jar dev.floe.bench.InterleavedMixes 60 INSERTS UPDATES
 * </pre>
 */
public final class InterleavedMixes {
  private static final int FLUSH = 100_000;
  private static final int BLOCK = 10;

  private InterleavedMixes() {}

  public static void main(String[] args) throws Exception {
    int flushes = Integer.parseInt(args[0]);
    List<ChangeMix> mixes = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      mixes.add(ChangeMix.valueOf(args[i]));
    }
    List<LocalWarehouse> warehouses = new ArrayList<>();
    List<ChangeStream> streams = new ArrayList<>();
    List<CommitCycle> tasks = new ArrayList<>();
    for (ChangeMix mix : mixes) {
      LocalWarehouse warehouse = new LocalWarehouse();
      warehouses.add(warehouse);
      streams.add(new ChangeStream(mix));
      tasks.add(task(warehouse));
    }
    long[][] buffering = new long[mixes.size()][BLOCK];
    long[][] flushing = new long[mixes.size()][BLOCK];
    try {
      for (int f = 0; f < flushes; f++) {
        for (int m = 0; m < mixes.size(); m++) {
          List<ChangeEvent> events = streams.get(m).events(FLUSH);
          System.gc(); // the events just made, and the last flush's garbage, not in the timing
          long start = System.nanoTime();
          for (int i = 0; i < events.size() - 1; i++) {
            tasks.get(m).apply(events.get(i));
          }
          long buffered = System.nanoTime();
          tasks.get(m).apply(events.get(events.size() - 1)); // reaches the bound: flush, commit
          tasks.get(m).commit();
          buffering[m][f % BLOCK] = buffered - start;
          flushing[m][f % BLOCK] = System.nanoTime() - buffered;
        }
        if (f % BLOCK == BLOCK - 1) {
          for (int m = 0; m < mixes.size(); m++) {
            long buffer = median(buffering[m]);
            long flush = median(flushing[m]);
            System.out.printf(
                "flushes %3d-%3d %-24s buffering %4d ms  flush and commit %4d ms  %,9d events/s%n",
                f - BLOCK + 1,
                f,
                mixes.get(m),
                buffer / 1_000_000,
                flush / 1_000_000,
                FLUSH * 1_000_000_000L / (buffer + flush));
          }
        }
      }
      for (LocalWarehouse warehouse : warehouses) { // each table holds what it was handed
        WrittenCheck.eventsCommitted(
            warehouse.catalog().loadTable(TableIdentifier.of("cdc", "public_orders")),
            (long) flushes * FLUSH);
      }
    } finally {
      for (LocalWarehouse warehouse : warehouses) {
        warehouse.close();
      }
    }
  }

  /** A task with the connector's defaults, as {@link SinkApplyBenchmark} wires it. */
  private static CommitCycle task(LocalWarehouse warehouse) {
    TableWriters writers =
        new TableWriters(
            new TableRouter("cdc"),
            new TableProvisioner(warehouse.catalog(), true, 3),
            WriteMode.UPSERT,
            table -> Map.of(),
            FillSettings.DEFAULT,
            new KeyIndexes(true, KeyIndexes.DEFAULT_MAX_BYTES, true),
            0);
    return CommitCycleBuilder.of(writers, "bench").flushMaxRecords(FLUSH).build();
  }

  private static long median(long[] values) {
    long[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
