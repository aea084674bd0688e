package dev.floe.bench;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
 * The peer: Apache Iceberg's own Kafka Connect sink (1.12), driven in-process as {@link PeerSink}
 * (its task-side writer, then the append its coordinator commits) on the inserts-only stream. The
 * Kafka control-topic round trip is left out, as Floe's Kafka side is in {@link
 * SinkApplyBenchmark}.
 *
 * <p>Inserts only, because that sink appends: it has no upsert or delete of a key in 1.12, so the
 * update and delete mixes have no peer.
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
  private PeerSink peer;
  private ChangeStream stream;
  private long handedIn;
  private List<SinkRecord> nextFlush;

  @Setup(Level.Trial)
  public void openTable() {
    warehouse = new LocalWarehouse();
    stream = new ChangeStream(ChangeMix.INSERTS);
    peer = new PeerSink(warehouse, TABLE);
  }

  /** The next flush's records, flattened to their {@code after} rows outside the timed part. */
  @Setup(Level.Invocation)
  public void makeFlush() {
    handedIn += flushSize; // each setup is followed by its invocation
    nextFlush = PeerSink.flatten(stream.records(flushSize));
  }

  @Benchmark
  public void writeOneFlush(RowCounter counter) {
    peer.save(nextFlush);
    peer.commit();
    counter.events += nextFlush.size();
  }

  @TearDown(Level.Trial)
  public void dropTable() throws IOException {
    try {
      WrittenCheck.rowsAppended(peer.table(), handedIn);
      peer.close();
    } finally {
      warehouse.close(); // also when the check fails
    }
  }
}
