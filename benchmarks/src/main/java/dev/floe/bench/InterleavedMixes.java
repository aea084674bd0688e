package dev.floe.bench;

import dev.floe.sink.commit.CommitCycle;
import dev.floe.sink.event.ChangeEvent;
import dev.floe.sink.event.ChangeEventParser;
import dev.floe.sink.schema.RowConverter;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.Record;
import org.apache.kafka.connect.sink.SinkRecord;

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
 * <p>{@code APACHE} stands for Apache Iceberg's sink on the inserts ({@link PeerSink}): its
 * "buffering" is its writer saving the rows into Parquet as they come, its flush the files' append.
 * {@code RAW} and {@code RAW_PARSED} are the floor ({@link RawAppend}): the inserts' rows written
 * with Iceberg's generic Parquet writer and appended, converted before the timing or parsed and
 * converted in it.
 *
 * <pre>
 * java -Xms2g -Xmx2g -cp benchmarks/target/benchmarks.jar dev.floe.bench.InterleavedMixes 60 INSERTS UPDATES
 * java -Xms2g -Xmx2g -cp benchmarks/target/benchmarks.jar dev.floe.bench.InterleavedMixes 60 INSERTS APACHE
 * java -Xms2g -Xmx2g -cp benchmarks/target/benchmarks.jar dev.floe.bench.InterleavedMixes 60 INSERTS RAW RAW_PARSED
 * </pre>
 */
public final class InterleavedMixes {
  private static final int FLUSH = 100_000;
  private static final int BLOCK = 10;

  private InterleavedMixes() {}

  public static void main(String[] args) throws Exception {
    int flushes = Integer.parseInt(args[0]);
    List<Side> sides = new ArrayList<>();
    try {
      for (int i = 1; i < args.length; i++) {
        sides.add(
            switch (args[i]) {
              case "APACHE" -> new Apache();
              case "RAW" -> new Raw(false);
              case "RAW_PARSED" -> new Raw(true);
              default -> new Floe(ChangeMix.valueOf(args[i]));
            });
      }
      long[][] buffering = new long[sides.size()][BLOCK];
      long[][] flushing = new long[sides.size()][BLOCK];
      for (int f = 0; f < flushes; f++) {
        for (int s = 0; s < sides.size(); s++) {
          Side side = sides.get(s);
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
      for (Side side : sides) {
        side.check((long) flushes * FLUSH); // each table holds what it was handed
      }
    } finally {
      for (Side side : sides) {
        side.close();
      }
    }
  }

  /** One sink on its own table, a flush at a time. */
  private interface Side extends AutoCloseable {
    /** Makes the next flush's records, outside the timing. */
    void prepare();

    /** Hands in the flush's records but the last one. */
    void buffer();

    /** Hands in the last one, which flushes and commits. */
    void flush();

    void check(long handedIn);

    @Override
    void close() throws java.io.IOException;
  }

  /**
   * Floe's task with the connector's defaults, as {@link SinkApplyBenchmark} wires it; each record
   * parsed as its {@code put} does, in the timing (Apache's sink converts its records in its own).
   */
  private static final class Floe implements Side {
    private final LocalWarehouse warehouse = new LocalWarehouse();
    private final ChangeStream stream;
    private final CommitCycle task;
    private final ChangeEventParser parser = new ChangeEventParser();
    private List<SinkRecord> records;

    Floe(ChangeMix mix) {
      stream = new ChangeStream(mix);
      task = UpsertTasks.of(warehouse.catalog(), 3, FLUSH);
    }

    @Override
    public void prepare() {
      records = stream.records(FLUSH);
    }

    @Override
    public void buffer() {
      for (int i = 0; i < records.size() - 1; i++) {
        task.apply(parser.parse(records.get(i)));
      }
    }

    @Override
    public void flush() {
      task.apply(parser.parse(records.get(records.size() - 1))); // the bound: flush, commit
      task.commit();
    }

    @Override
    public void check(long handedIn) {
      WrittenCheck.eventsCommitted(
          warehouse.catalog().loadTable(TableIdentifier.of("cdc", "public_orders")), handedIn);
    }

    @Override
    public void close() throws java.io.IOException {
      warehouse.close();
    }
  }

  /** Apache Iceberg's sink on the inserts, as {@link IcebergSinkPeerBenchmark} drives it. */
  private static final class Apache implements Side {
    private final LocalWarehouse warehouse = new LocalWarehouse();
    private final ChangeStream stream = new ChangeStream(ChangeMix.INSERTS);
    private final PeerSink peer = new PeerSink(warehouse, "cdc.peer_orders");
    private List<SinkRecord> rows;

    @Override
    public void prepare() {
      rows = PeerSink.flatten(stream.records(FLUSH));
    }

    @Override
    public void buffer() {
      peer.save(rows);
    }

    @Override
    public void flush() {
      peer.commit();
    }

    @Override
    public void check(long handedIn) {
      WrittenCheck.rowsAppended(peer.table(), handedIn);
    }

    @Override
    public void close() throws java.io.IOException {
      try {
        peer.close();
      } finally {
        warehouse.close();
      }
    }
  }

  /**
   * The floor ({@link RawAppend}) on the inserts. {@code RAW}: the rows converted to Iceberg
   * records before the timing, written as they are handed in, appended at the flush. {@code
   * RAW_PARSED}: the records parsed and their rows converted in the timing, as any sink must, then
   * written and appended at the flush (the rows made among the parsing's garbage, as a sink's
   * buffer is).
   */
  private static final class Raw implements Side {
    private final LocalWarehouse warehouse = new LocalWarehouse();
    private final ChangeStream stream = new ChangeStream(ChangeMix.INSERTS);
    private final RawAppend append;
    private final boolean parsed;
    private final ChangeEventParser parser = new ChangeEventParser();
    private List<SinkRecord> records;
    private List<Record> rows;

    Raw(boolean parsed) {
      this.parsed = parsed;
      this.append = new RawAppend(warehouse.createOrdersTable("cdc.raw_orders"));
    }

    @Override
    public void prepare() {
      if (parsed) {
        records = stream.records(FLUSH);
        return;
      }
      RowConverter converter = new RowConverter(append.table().schema());
      rows = new ArrayList<>(FLUSH);
      for (ChangeEvent event : stream.events(FLUSH)) {
        rows.add(converter.toRecord(event.row()));
      }
    }

    @Override
    public void buffer() {
      if (!parsed) {
        append.write(rows);
        return;
      }
      RowConverter converter = new RowConverter(append.table().schema());
      rows = new ArrayList<>(FLUSH);
      for (SinkRecord record : records) {
        rows.add(converter.toRecord(parser.parse(record).row()));
      }
    }

    @Override
    public void flush() {
      if (parsed) {
        append.write(rows);
      }
      append.commit();
    }

    @Override
    public void check(long handedIn) {
      WrittenCheck.rowsAppended(append.table(), handedIn);
    }

    @Override
    public void close() throws java.io.IOException {
      warehouse.close();
    }
  }

  private static long median(long[] values) {
    long[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
