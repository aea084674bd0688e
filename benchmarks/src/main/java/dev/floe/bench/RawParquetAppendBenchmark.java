package dev.floe.bench;

import dev.floe.sink.event.ChangeEvent;
import dev.floe.sink.schema.RowConverter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
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
 * The floor under {@link SinkApplyBenchmark}: the same rows (the inserts-only stream, already
 * converted to Iceberg records) appended with Iceberg's own generic Parquet writer and one {@link
 * AppendFiles} commit per flush. No parsing, no replay check, no fold by key and no equality
 * deletes: what remains is Parquet encoding, the file system and the commit. The gap between the
 * two is what Floe's exactly-once upsert semantics cost.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 10)
@Measurement(iterations = 3, time = 10)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class RawParquetAppendBenchmark {
  /** Rows per commit, as the flush sizes of {@link SinkApplyBenchmark}. */
  @Param({"10000", "100000"})
  public int flushSize;

  private LocalWarehouse warehouse;
  private Table table;
  private RawAppend append;
  private ChangeStream stream;
  private long handedIn;
  private List<Record> nextFlush;

  @Setup(Level.Trial)
  public void openTable() {
    warehouse = new LocalWarehouse();
    stream = new ChangeStream(ChangeMix.INSERTS);
    table = warehouse.createOrdersTable("cdc.raw_orders");
    append = new RawAppend(table);
  }

  /** The rows of the next flush, converted outside the timed part. */
  @Setup(Level.Invocation)
  public void makeFlush() {
    handedIn += flushSize; // each setup is followed by its invocation
    RowConverter rows = new RowConverter(table.schema());
    nextFlush = new ArrayList<>(flushSize);
    for (ChangeEvent event : stream.events(flushSize)) {
      nextFlush.add(rows.toRecord(event.row()));
    }
  }

  @Benchmark
  public void appendOneFlush(RowCounter counter) {
    append.write(nextFlush);
    append.commit();
    counter.events += nextFlush.size();
  }

  @TearDown(Level.Trial)
  public void dropTable() throws IOException {
    try {
      WrittenCheck.rowsAppended(table, handedIn);
    } finally {
      warehouse.close(); // also when the check fails
    }
  }
}
