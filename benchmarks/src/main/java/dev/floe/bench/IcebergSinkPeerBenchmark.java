package dev.floe.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.connect.IcebergSinkConfig;
import org.apache.iceberg.connect.data.IcebergWriterResult;
import org.apache.iceberg.connect.data.SinkWriter;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
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
 * The peer: Apache Iceberg's own Kafka Connect sink (1.12), its task-side {@link SinkWriter} driven
 * in-process on the inserts-only stream, then its data files committed in one {@link AppendFiles},
 * which is what its coordinator does once the control topic has gathered every task's files. The
 * Kafka control-topic round trip is left out, as Floe's Kafka side is in {@link
 * SinkApplyBenchmark}.
 *
 * <p>Inserts only, because that sink appends: it has no upsert or delete of a key in 1.12, so the
 * update and delete mixes have no peer. It reads flat rows, so each event is given as Debezium's
 * {@code ExtractNewRecordState} would leave it (the {@code after} row); the table is created up
 * front with the schema Floe gives it, so both write the same Parquet columns.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 10)
@Measurement(iterations = 3, time = 10)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class IcebergSinkPeerBenchmark {
  private static final String TABLE = "cdc.peer_orders";

  /** Records per commit, as the flush sizes of {@link SinkApplyBenchmark}. */
  @Param({"10000", "100000"})
  public int flushSize;

  private LocalWarehouse warehouse;
  private Table table;
  private SinkWriter writer;
  private ChangeStream stream;
  private long handedIn;
  private List<SinkRecord> nextFlush;

  @Setup(Level.Trial)
  public void openTable() {
    warehouse = new LocalWarehouse();
    stream = new ChangeStream(ChangeMix.INSERTS);
    table = warehouse.createOrdersTable(TABLE);
    // its config insists on catalog settings; they describe the catalog it is handed
    IcebergSinkConfig config =
        new IcebergSinkConfig(
            Map.of(
                "name",
                "peer",
                "iceberg.tables",
                TABLE,
                "iceberg.catalog.catalog-impl",
                HadoopCatalog.class.getName(),
                "iceberg.catalog.warehouse",
                warehouse.location()));
    writer = new SinkWriter(warehouse.catalog(), config);
  }

  /** The next flush's records, flattened to their {@code after} rows outside the timed part. */
  @Setup(Level.Invocation)
  public void makeFlush() {
    handedIn += flushSize; // each setup is followed by its invocation
    nextFlush = new ArrayList<>(flushSize);
    for (SinkRecord change : stream.records(flushSize)) {
      Struct after = ((Struct) change.value()).getStruct("after");
      nextFlush.add(
          change.newRecord(
              change.topic(),
              change.kafkaPartition(),
              change.keySchema(),
              change.key(),
              OrderEvents.ROW,
              after,
              change.timestamp()));
    }
  }

  @Benchmark
  public void writeOneFlush(RowCounter counter) {
    writer.save(nextFlush);
    AppendFiles append = table.newAppend();
    for (IcebergWriterResult written : writer.completeWrite().writerResults()) {
      for (DataFile file : written.dataFiles()) {
        append.appendFile(file);
      }
    }
    append.commit();
    counter.events += nextFlush.size();
  }

  @TearDown(Level.Trial)
  public void dropTable() throws IOException {
    try {
      WrittenCheck.rowsAppended(table, handedIn);
      writer.close();
    } finally {
      warehouse.close(); // also when the check fails
    }
  }
}
