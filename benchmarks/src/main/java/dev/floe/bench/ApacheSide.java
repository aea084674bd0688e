package dev.floe.bench;

import java.util.List;
import org.apache.kafka.connect.sink.SinkRecord;

/** Apache Iceberg's sink on the inserts, as {@link IcebergSinkPeerBenchmark} drives it. */
final class ApacheSide implements MixSide {
  private final LocalWarehouse warehouse = new LocalWarehouse();
  private final ChangeStream stream = new ChangeStream(ChangeMix.INSERTS);
  private final PeerSink peer = new PeerSink(warehouse, "cdc.peer_orders");
  private List<SinkRecord> rows;

  @Override
  public void prepare() {
    rows = PeerSink.flatten(stream.records(InterleavedMixes.FLUSH));
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
