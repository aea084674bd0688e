package dev.floe.bench;

import dev.floe.sink.commit.CommitCycle;
import dev.floe.sink.event.ChangeEventParser;
import java.util.List;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Floe's task with the connector's defaults, as {@link SinkApplyBenchmark} wires it; each record
 * parsed as its {@code put} does, in the timing (Apache's sink converts its records in its own).
 */
final class FloeSide implements MixSide {
  private final LocalWarehouse warehouse = new LocalWarehouse();
  private final ChangeStream stream;
  private final CommitCycle task;
  private final ChangeEventParser parser = new ChangeEventParser();
  private List<SinkRecord> records;

  FloeSide(ChangeMix mix) {
    stream = new ChangeStream(mix);
    task = UpsertTasks.of(warehouse.catalog(), 3, InterleavedMixes.FLUSH);
  }

  @Override
  public void prepare() {
    records = stream.records(InterleavedMixes.FLUSH);
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
