package dev.floe.bench;

import dev.floe.sink.event.ChangeEvent;
import dev.floe.sink.event.ChangeEventParser;
import dev.floe.sink.schema.RowConverter;
import dev.floe.sink.schema.TypeMapping;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Where the per-record CPU goes before a change reaches a table's buffer, in three steps measured
 * separately: Connect's {@link JsonConverter} turning the wire bytes (a Debezium envelope with its
 * schema inlined, {@code schemas.enable=true}, the way Floe's examples configure it) back into
 * Structs; Floe's {@link ChangeEventParser}; and {@link RowConverter} making the Iceberg record
 * (and the key record the fold uses). The stream is the mixed one (inserts, updates, deletes).
 * Scores are records per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ChangeEventParseBenchmark {
  private static final int BATCH = 1_000;

  private final JsonConverter keys = new JsonConverter();
  private final JsonConverter values = new JsonConverter();
  private final ChangeEventParser parser = new ChangeEventParser();
  private final Schema table = TypeMapping.toIcebergSchema(OrderEvents.ROW, Set.of("id"));
  private final RowConverter keyRecords = RowConverter.forKeys(table.select("id"));
  private final RowConverter rows = new RowConverter(table);
  private List<SinkRecord> records;
  private byte[][] keyBytes;
  private byte[][] valueBytes;

  @Setup
  public void serialize() {
    keys.configure(Map.of("schemas.enable", "true"), true);
    values.configure(Map.of("schemas.enable", "true"), false);
    records = new ChangeStream(ChangeMix.DELETES).records(BATCH);
    keyBytes = new byte[BATCH][];
    valueBytes = new byte[BATCH][];
    long wire = 0;
    for (int i = 0; i < BATCH; i++) {
      SinkRecord r = records.get(i);
      keyBytes[i] = keys.fromConnectData(r.topic(), r.keySchema(), r.key());
      valueBytes[i] = values.fromConnectData(r.topic(), r.valueSchema(), r.value());
      wire += keyBytes[i].length + valueBytes[i].length;
    }
    // the size on the topic explains the JSON cost: the schema travels with every event
    System.out.println("Average key + value on the wire: " + wire / BATCH + " bytes");
  }

  /** Connect's share: the converter, which runs before the sink task sees a record. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void jsonToStruct(Blackhole sink) {
    for (int i = 0; i < BATCH; i++) {
      sink.consume(deserialize(i));
    }
  }

  /** Floe's share: envelope to change event, row to Iceberg record, from Structs. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void parseAndConvert(Blackhole sink) {
    for (SinkRecord record : records) {
      convert(parser.parse(record), sink);
    }
  }

  /** Both, as a record goes from the topic's bytes to the table's buffer. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void jsonToIcebergRecord(Blackhole sink) {
    for (int i = 0; i < BATCH; i++) {
      convert(parser.parse(deserialize(i)), sink);
    }
  }

  private SinkRecord deserialize(int i) {
    SchemaAndValue key = keys.toConnectData(OrderEvents.TOPIC, keyBytes[i]);
    SchemaAndValue value = values.toConnectData(OrderEvents.TOPIC, valueBytes[i]);
    return new SinkRecord(
        OrderEvents.TOPIC, 0, key.schema(), key.value(), value.schema(), value.value(), i);
  }

  /** What the folding writer does with a change: its key record, and its row unless a delete. */
  private void convert(ChangeEvent event, Blackhole sink) {
    sink.consume(keyRecords.toKey((Struct) event.key()));
    if (!event.isDelete()) {
      sink.consume(rows.toRecord(event.row()));
    }
  }
}
