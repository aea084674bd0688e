package dev.floe.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.floe.sink.commit.CommitCycle;
import dev.floe.sink.commit.CommitCycleBuilder;
import dev.floe.sink.config.SinkConfig;
import dev.floe.sink.event.ChangeEventParser;
import dev.floe.sink.route.TableProvisioner;
import dev.floe.sink.route.TableRouter;
import dev.floe.sink.write.TableWriters;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Whether a task's flush bounds hold its heap: drains millions of change events (new keys only, the
 * case where the buffer grows fastest, as in a snapshot or a backlog of inserts) through one task's
 * apply path ({@link CommitCycle#apply}: routing, conversion, the fold by key, the size estimate,
 * and at each bound the Parquet files and the commit) into a table on the local disk, and reports
 * the peak heap. Run it with a small heap; it fails with {@code OutOfMemoryError} if a bound does
 * not hold. Not a JMH benchmark (one long run, not a rate), and never run by the build:
 *
 * <pre>
 * java -Xmx1g -cp benchmarks/target/benchmarks.jar dev.floe.bench.HeapBoundBenchmark \
 *     [orders|documents] [events, default 10000000] [flush.max.records] [flush.max.bytes]
 * </pre>
 *
 * The bounds default to the task's ({@link SinkConfig}'s defaults). It reports the live heap when
 * the buffer is at its fullest (a full collection just before the event that makes it commit, every
 * tenth flush), and the most heap in use right after any collection (GC notifications): the buffer,
 * the writers while they write, and garbage a young collection left in the old generation, an upper
 * bound of what was alive at once.
 */
public final class HeapBoundBenchmark {
  private HeapBoundBenchmark() {}

  public static void main(String[] args) throws Exception {
    String rows = args.length > 0 ? args[0] : "orders";
    long events = args.length > 1 ? Long.parseLong(args[1]) : 10_000_000L;
    Map<String, Object> defaults = SinkConfig.CONFIG_DEF.defaultValues();
    int maxRecords =
        args.length > 2
            ? Integer.parseInt(args[2])
            : (Integer) defaults.get(SinkConfig.FLUSH_MAX_RECORDS);
    long maxBytes =
        args.length > 3 ? Long.parseLong(args[3]) : (Long) defaults.get(SinkConfig.FLUSH_MAX_BYTES);
    LongFunction<SinkRecord> records =
        switch (rows) {
          case "orders" -> offset -> OrderEvents.record("c", (int) offset, 0, offset);
          case "documents" -> offset -> DocumentEvents.create((int) offset, offset);
          default -> throw new IllegalArgumentException("rows: orders or documents, not " + rows);
        };
    AtomicLong peakAfterGc = watchCollections();
    long maxHeap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax();
    System.out.printf(
        "%,d %s creates, flush.max.records=%,d, flush.max.bytes=%,d, max heap %,d MB%n",
        events, rows, maxRecords, maxBytes, maxHeap >> 20);

    try (LocalWarehouse warehouse = new LocalWarehouse()) {
      TableWriters writers =
          new TableWriters(
              new TableRouter("cdc"), new TableProvisioner(warehouse.catalog(), true, 2), 0);
      CommitCycle cycle =
          CommitCycleBuilder.of(writers, "bench")
              .flushMaxRecords(maxRecords)
              .flushMaxBytes(maxBytes)
              .build();
      ChangeEventParser parser = new ChangeEventParser();
      long peakEstimate = 0;
      long peakLive = 0;
      long flushes = 0;
      long lastEventBytes = 0;
      long started = System.nanoTime();
      for (long offset = 0; offset < events; offset++) {
        int before = writers.pendingEvents();
        long estimate = writers.pendingBytes();
        boolean full =
            before + 1 >= maxRecords || estimate + lastEventBytes >= maxBytes; // commits next
        if (full && flushes % 10 == 0) {
          peakLive = Math.max(peakLive, liveHeap()); // the fullest buffer, every tenth flush
        }
        cycle.apply(parser.parse(records.apply(offset)));
        if (writers.pendingEvents() <= before) { // this event's bound committed the buffer
          flushes++;
          peakEstimate = Math.max(peakEstimate, estimate);
        } else {
          lastEventBytes = writers.pendingBytes() - estimate;
        }
        if (offset % 1_000_000 == 999_999) {
          System.out.printf(
              "%,12d events, %5.0f s, peak heap after GC %,d MB%n",
              offset + 1, (System.nanoTime() - started) / 1e9, peakAfterGc.get() >> 20);
        }
      }
      cycle.commit();
      double seconds = (System.nanoTime() - started) / 1e9;
      long committed =
          Long.parseLong(
              warehouse
                  .catalog()
                  .loadTable(TableIdentifier.of("cdc", "public_" + rows))
                  .currentSnapshot()
                  .summary()
                  .get("total-records"));
      System.out.printf(
          "done: %,d events in %.0f s (%,.0f events/s), %,d flushes at bounds, %,d rows in the"
              + " table; largest buffer estimated %,d MB; live heap at the fullest buffer %,d MB;"
              + " peak heap after GC %,d MB of %,d MB; %s%n",
          events,
          seconds,
          events / seconds,
          flushes,
          committed,
          peakEstimate >> 20,
          peakLive >> 20,
          peakAfterGc.get() >> 20,
          maxHeap >> 20,
          collections());
      if (committed != events) {
        throw new IllegalStateException("the table holds " + committed + " rows, not " + events);
      }
    }
  }

  /** The heap in use after a full collection: what is alive. */
  private static long liveHeap() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** The most heap in use after any collection, kept up to date by GC notifications. */
  private static AtomicLong watchCollections() {
    AtomicLong peak = new AtomicLong();
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      ((NotificationEmitter) gc)
          .addNotificationListener(
              (notification, handback) -> {
                if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
                    notification.getType())) {
                  return;
                }
                GarbageCollectionNotificationInfo info =
                    GarbageCollectionNotificationInfo.from(
                        (CompositeData) notification.getUserData());
                long used = 0;
                for (MemoryUsage pool : info.getGcInfo().getMemoryUsageAfterGc().values()) {
                  used += pool.getUsed();
                }
                peak.accumulateAndGet(used, Math::max);
              },
              null,
              null);
    }
    return peak;
  }

  private static String collections() {
    StringBuilder text = new StringBuilder();
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      text.append(
          String.format(
              "%s%s %,d in %,d ms",
              text.length() == 0 ? "" : ", ",
              gc.getName(),
              gc.getCollectionCount(),
              gc.getCollectionTime()));
    }
    return text.toString();
  }
}
