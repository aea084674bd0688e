package dev.floe.bench;

import dev.floe.sink.event.ChangeEvent;
import dev.floe.sink.event.ChangeEventParser;
import dev.floe.sink.schema.RowConverter;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.data.Record;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * The floor ({@link RawAppend}) on the inserts. {@code RAW}: the rows converted to Iceberg records
 * before the timing, written as they are handed in, appended at the flush. {@code RAW_PARSED}: the
 * records parsed and their rows converted in the timing, as any sink must, then written and
 * appended at the flush (the rows made among the parsing's garbage, as a sink's buffer is).
 */
final class RawSide implements MixSide {
  private final LocalWarehouse warehouse = new LocalWarehouse();
  private final ChangeStream stream = new ChangeStream(ChangeMix.INSERTS);
  private final RawAppend append;
  private final boolean parsed;
  private final ChangeEventParser parser = new ChangeEventParser();
  private List<SinkRecord> records;
  private List<Record> rows;

  RawSide(boolean parsed) {
    this.parsed = parsed;
    this.append = new RawAppend(warehouse.createOrdersTable("cdc.raw_orders"));
  }

  @Override
  public void prepare() {
    if (parsed) {
      records = stream.records(InterleavedMixes.FLUSH);
      return;
    }
    RowConverter converter = new RowConverter(append.table().schema());
    rows = new ArrayList<>(InterleavedMixes.FLUSH);
    for (ChangeEvent event : stream.events(InterleavedMixes.FLUSH)) {
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
    rows = new ArrayList<>(InterleavedMixes.FLUSH);
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
