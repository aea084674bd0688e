package dev.floe.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Two change mixes through the apply path of {@link SinkApplyBenchmark}, one flush of each in turn
 * in the same JVM, each on its own table: what one mix costs against the other under the same
 * machine load, JIT state and table age, which two JMH runs apart (±10-30% on this machine) cannot
 * tell. Each flush's records are made beforehand and the heap collected before it is timed, so the
 * figure is the sink's alone (parsing each record, as a task's {@code put} does, included); the
 * buffering (every event but the last) and the flush and commit (the last event) are reported
 * apart, as medians per block of ten flushes. At the end each table is checked to hold what its
 * stream made.
 *
 * <p>Each side is a {@link MixSide}: a change mix through Floe's task ({@link FloeSide}); {@code
 * APACHE}, Apache Iceberg's sink on the inserts ({@link ApacheSide}), whose "buffering" is its
 * writer saving the rows into Parquet as they come, its flush the files' append; {@code RAW} and
 * {@code RAW_PARSED}, the floor ({@link RawSide}): the inserts' rows written with Iceberg's generic
 * Parquet writer and appended, converted before the timing or parsed and converted in it.
 *
 * <pre>
 * java -Xms2g -Xmx2g -cp benchmarks/target/benchmarks.jar dev.floe.bench.InterleavedMixes 60 INSERTS UPDATES
 * java -Xms2g -Xmx2g -cp benchmarks/target/benchmarks.jar dev.floe.bench.InterleavedMixes 60 INSERTS APACHE
 * java -Xms2g -Xmx2g -cp benchmarks/target/benchmarks.jar dev.floe.bench.InterleavedMixes 60 INSERTS RAW RAW_PARSED
 * </pre>
 */
public final class InterleavedMixes {
  static final int FLUSH = 100_000;
  private static final int BLOCK = 10;

  private InterleavedMixes() {}

  public static void main(String[] args) throws Exception {
    int flushes = Integer.parseInt(args[0]);
    List<MixSide> sides = new ArrayList<>();
    try {
      for (int i = 1; i < args.length; i++) {
        sides.add(
            switch (args[i]) {
              case "APACHE" -> new ApacheSide();
              case "RAW" -> new RawSide(false);
              case "RAW_PARSED" -> new RawSide(true);
              default -> new FloeSide(ChangeMix.valueOf(args[i]));
            });
      }
      long[][] buffering = new long[sides.size()][BLOCK];
      long[][] flushing = new long[sides.size()][BLOCK];
      for (int f = 0; f < flushes; f++) {
        for (int s = 0; s < sides.size(); s++) {
          MixSide side = sides.get(s);
          side.prepare();
          System.gc(); // the events just made, and the last flush's garbage, not in the timing
          long start = System.nanoTime();
          side.buffer();
          long buffered = System.nanoTime();
          side.flush();
          buffering[s][f % BLOCK] = buffered - start;
          flushing[s][f % BLOCK] = System.nanoTime() - buffered;
        }
        if (f % BLOCK == BLOCK - 1) {
          for (int s = 0; s < sides.size(); s++) {
            long buffer = median(buffering[s]);
            long flush = median(flushing[s]);
            System.out.printf(
                "flushes %3d-%3d %-24s buffering %4d ms  flush and commit %4d ms  %,9d events/s%n",
                f - BLOCK + 1,
                f,
                args[s + 1],
                buffer / 1_000_000,
                flush / 1_000_000,
                FLUSH * 1_000_000_000L / (buffer + flush));
          }
        }
      }
      for (MixSide side : sides) {
        side.check((long) flushes * FLUSH); // each table holds what it was handed
      }
    } finally {
      for (MixSide side : sides) {
        side.close();
      }
    }
  }

  private static long median(long[] values) {
    long[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
