package dev.floe.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.metrics.internals.PluginMetricsImpl;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task fed one record of each kind it cannot apply, between good ones: each bad record is handed
 * to Connect's reporter with a reason that names what is wrong, and the good records land.
 */
class BadRecordsTest {
  private static final Schema KEY =
      SchemaBuilder.struct().field("id", Schema.OPTIONAL_INT32_SCHEMA).build();
  private static final Schema SOURCE =
      SchemaBuilder.struct()
          .field("schema", Schema.STRING_SCHEMA)
          .field("table", Schema.STRING_SCHEMA)
          .build();
  private static final Schema ITEM =
      SchemaBuilder.struct()
          .optional()
          .field("id", Schema.INT32_SCHEMA)
          .field("name", Schema.OPTIONAL_STRING_SCHEMA)
          .field("ref", SchemaBuilder.string().name("io.debezium.data.Uuid").optional().build())
          .build();
  // as a producer other than Debezium may declare it: the key column optional
  private static final Schema LOOSE_ITEM =
      SchemaBuilder.struct()
          .optional()
          .field("id", Schema.OPTIONAL_INT32_SCHEMA)
          .field("name", Schema.OPTIONAL_STRING_SCHEMA)
          .build();
  private static final Schema WIDE =
      SchemaBuilder.struct()
          .optional()
          .field("id", Schema.INT32_SCHEMA)
          .field(
              "amount",
              Decimal.builder(2).parameter("connect.decimal.precision", "39").optional().build())
          .build();

  @TempDir Path warehouse;
  private final Map<Long, String> reported = new TreeMap<>();
  private final Metrics registry = new Metrics();
  private long offset;

  @Test
  void everyRecordTheSinkCannotApplyReachesTheReporterAndTheTableKeepsFlowing() {
    List<SinkRecord> records = new ArrayList<>();
    records.add(item("c", 1, "one", null));
    records.add(item("x", 2, "unknown op", null));
    records.add(item(null, 3, "no op", null));
    records.add(item("c", 4, "bad uuid", "not-a-uuid"));
    records.add(withoutKey(item("c", 5, "no key", null)));
    records.add(new SinkRecord("t.public.items", 0, null, null, null, Map.of("op", "c"), offset++));
    records.add(change("public", "wide", WIDE, new Struct(WIDE).put("id", 1), 1, "c"));
    records.add(change("public", "bad/name", ITEM, new Struct(ITEM).put("id", 1), 1, "c"));
    records.add(change("public", "items", LOOSE_ITEM, new Struct(LOOSE_ITEM), 9, "c"));
    records.add(item("c", 2, "two", "6f1c3b1e-1a2b-4c3d-8e9f-0a1b2c3d4e5f"));

    IcebergCdcSinkTask task = start(Map.of("errors.deadletterqueue.topic.name", "dead"), true);
    task.put(records);
    task.close(List.of(new TopicPartition("t.public.items", 0)));
    task.stop();

    assertEquals(Map.of(1, "one", 2, "two"), items());
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L), new ArrayList<>(reported.keySet()));
    assertReason(1, "unknown operation in 'op' ('x')");
    assertReason(2, "no operation in 'op'");
    assertReason(3, "Column 'ref'");
    assertReason(4, "no primary key");
    assertReason(5, "has no schema");
    assertReason(6, "Column 'amount' is numeric(39, 2)");
    assertReason(7, "path separator");
    assertReason(8, "Key column 'id' holds null");
    assertEquals(8.0, metric("dead-letter-records-total"));
    assertEquals(0.0, metric("dropped-records-total"));
  }

  @Test
  void withoutADeadLetterTopicTheRecordsAreDroppedAndCounted() {
    IcebergCdcSinkTask task = start(Map.of(), false); // errors.log.enable off: no reporter at all
    task.put(
        List.of(
            item("c", 1, "one", null),
            item("x", 2, "unknown op", null),
            item("c", 2, "two", null)));
    task.close(List.of(new TopicPartition("t.public.items", 0)));
    task.stop();

    assertEquals(Map.of(1, "one", 2, "two"), items());
    assertEquals(1.0, metric("dropped-records-total"));
    assertEquals(0.0, metric("dead-letter-records-total"));
  }

  @Test
  void withErrorsToleranceNoneTheTaskFailsWithTheReason() {
    Map<String, String> none = new HashMap<>(Map.of("errors.tolerance", "none"));
    none.put("errors.deadletterqueue.topic.name", "dead");
    IcebergCdcSinkTask task = start(none, true);
    ConnectException failure =
        assertThrows(
            ConnectException.class, () -> task.put(List.of(item("x", 2, "unknown op", null))));
    assertTrue(failure.getMessage().contains("t.public.items-0@0"), failure.getMessage());
    assertTrue(reported.isEmpty());
    task.stop();
  }

  private IcebergCdcSinkTask start(Map<String, String> errors, boolean withReporter) {
    Map<String, String> props = new HashMap<>(catalogProps());
    props.put("name", "sink");
    props.put("commit.interval.ms", "3600000"); // commits only when the test closes the task
    props.put("errors.tolerance", "all");
    props.putAll(errors);
    IcebergCdcSinkTask task = new IcebergCdcSinkTask();
    task.initialize(new Context(withReporter));
    task.start(props);
    task.open(List.of(new TopicPartition("t.public.items", 0)));
    return task;
  }

  private Map<String, String> catalogProps() {
    return Map.of(
        "iceberg.catalog.type",
        "hadoop",
        "iceberg.catalog.warehouse",
        warehouse.toUri().toString());
  }

  private Map<Integer, String> items() {
    Map<String, String> props = new HashMap<>();
    catalogProps().forEach((k, v) -> props.put(k.substring("iceberg.catalog.".length()), v));
    Catalog catalog =
        CatalogUtil.buildIcebergCatalog("read", props, new org.apache.hadoop.conf.Configuration());
    Map<Integer, String> rows = new TreeMap<>();
    try (CloseableIterable<Record> read =
        IcebergGenerics.read(catalog.loadTable(TableIdentifier.of("cdc", "public_items")))
            .build()) {
      read.forEach(r -> rows.put((Integer) r.getField("id"), (String) r.getField("name")));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return rows;
  }

  private SinkRecord item(String op, int id, String name, String ref) {
    Struct row = new Struct(ITEM).put("id", id).put("name", name).put("ref", ref);
    return change("public", "items", ITEM, row, id, op);
  }

  /** A Debezium envelope of {@code row} in {@code schema.table}, keyed by {@code id}. */
  private SinkRecord change(
      String schema, String table, Schema rowSchema, Struct row, int id, String op) {
    Schema envelope =
        SchemaBuilder.struct()
            .field("before", rowSchema)
            .field("after", rowSchema)
            .field("source", SOURCE)
            .field("op", Schema.OPTIONAL_STRING_SCHEMA)
            .build();
    Struct value =
        new Struct(envelope)
            .put("after", row)
            .put("source", new Struct(SOURCE).put("schema", schema).put("table", table))
            .put("op", op);
    return new SinkRecord(
        "t.public.items", 0, KEY, new Struct(KEY).put("id", id), envelope, value, offset++);
  }

  private static SinkRecord withoutKey(SinkRecord record) {
    return record.newRecord(
        record.topic(),
        record.kafkaPartition(),
        null,
        null,
        record.valueSchema(),
        record.value(),
        record.timestamp());
  }

  private void assertReason(long offset, String part) {
    String reason = reported.get(offset);
    assertTrue(reason != null && reason.contains(part), "offset " + offset + ": " + reason);
  }

  private Object metric(String name) {
    return registry.metrics().entrySet().stream()
        .filter(e -> e.getKey().name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no metric " + name))
        .getValue()
        .metricValue();
  }

  /** What a worker hands the task: a reporter that records what it is given, and metrics. */
  private final class Context implements SinkTaskContext {
    private final boolean withReporter;

    Context(boolean withReporter) {
      this.withReporter = withReporter;
    }

    @Override
    public ErrantRecordReporter errantRecordReporter() {
      if (!withReporter) {
        return null;
      }
      return (record, error) -> {
        reported.put(record.kafkaOffset(), error.getMessage());
        Future<Void> written = CompletableFuture.completedFuture(null);
        return written;
      };
    }

    @Override
    public PluginMetrics pluginMetrics() {
      return new PluginMetricsImpl(registry, new LinkedHashMap<>(Map.of("connector", "sink")));
    }

    @Override
    public Map<String, String> configs() {
      return Map.of();
    }

    @Override
    public void offset(Map<TopicPartition, Long> offsets) {}

    @Override
    public void offset(TopicPartition tp, long offset) {}

    @Override
    public void timeout(long timeoutMs) {}

    @Override
    public Set<TopicPartition> assignment() {
      return Set.of(new TopicPartition("t.public.items", 0));
    }

    @Override
    public void pause(TopicPartition... partitions) {}

    @Override
    public void resume(TopicPartition... partitions) {}

    @Override
    public void requestCommit() {}
  }
}
