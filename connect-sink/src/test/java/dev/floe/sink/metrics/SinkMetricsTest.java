package dev.floe.sink.metrics;

import static dev.floe.sink.event.ChangeEvents.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.floe.sink.commit.CommitCycle;
import dev.floe.sink.commit.CommitCycleBuilder;
import dev.floe.sink.route.TableProvisioner;
import dev.floe.sink.route.TableRouter;
import dev.floe.sink.write.TableWriters;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.internals.PluginMetricsImpl;
import org.junit.jupiter.api.Test;

/** The figures a task publishes are what it committed, per table. */
class SinkMetricsTest {
  private final Metrics registry = new Metrics();
  private final SinkMetrics metrics =
      new SinkMetrics(
          dev.floe.common.metrics.WorkerPluginMetrics.wrap(
              new PluginMetricsImpl(registry, new LinkedHashMap<>(Map.of("connector", "sink")))));

  @Test
  void countsWhatEachCommitApplied() {
    InMemoryCatalog catalog = new InMemoryCatalog();
    catalog.initialize("mem", Map.of());
    CommitCycle cycle = cycle(catalog);
    cycle.apply(event("c", 1, "a", 0));
    cycle.apply(event("c", 2, "b", 1));
    cycle.apply(event("u", 1, "a2", 2));
    assertEquals(3L, value("buffered-change-events", null));
    cycle.commit();
    cycle.apply(event("d", 2, null, 3));
    cycle.commit();
    metrics.deadLettered();

    assertEquals(4.0, value("change-events-applied-total", "cdc.public_items"));
    assertEquals(2.0, value("commits-total", "cdc.public_items"));
    assertEquals(1.0, value("data-files-committed-total", "cdc.public_items"));
    // the first flush only inserts keys the table never held: no delete file; the second deletes
    assertEquals(1.0, value("delete-files-committed-total", "cdc.public_items"));
    // key 2's row, found in the first flush's file, is deleted by position (a deletion vector)
    assertEquals(1.0, value("rows-deleted-by-position-total", "cdc.public_items"));
    assertEquals(0.0, value("keys-deleted-by-equality-total", "cdc.public_items"));
    // the key index was built once, at the first flush, and takes memory
    assertEquals(1L, value("key-index-builds-total", "cdc.public_items"));
    assertTrue((Long) value("key-index-bytes", "cdc.public_items") > 0);
    assertEquals(2.0, value("new-keys-written-total", "cdc.public_items"));
    assertEquals(0L, value("buffered-change-events", null));
    assertEquals(1.0, value("dead-letter-records-total", null));
    long age = (Long) value("last-commit-age-ms", "cdc.public_items");
    assertTrue(age >= 0 && age < 60_000, "age " + age);
    // the test events carry source commit times of 1 s after the epoch: long ago
    assertTrue((Long) value("source-watermark-age-ms", "cdc.public_items") > 1_000_000L);
  }

  @Test
  void countsTheValuesKeptAsTextBecauseTheirColumnsCannotHoldThem() {
    InMemoryCatalog catalog = new InMemoryCatalog();
    catalog.initialize("mem", Map.of());
    CommitCycle cycle = cycle(catalog);
    cycle.apply(opening(1, 8 * HOUR_MICROS, 0));
    cycle.apply(opening(2, 24 * HOUR_MICROS, 1)); // time '24:00:00'
    cycle.commit();
    cycle.apply(opening(2, 24 * HOUR_MICROS, 2));
    cycle.apply(opening(3, 24 * HOUR_MICROS, 3));
    cycle.commit();

    assertEquals(3.0, value("values-kept-as-text-total", "cdc.public_items"));
  }

  private static final long HOUR_MICROS = 3_600_000_000L;

  /** A change of row {@code id} whose {@code time} column {@code opens} holds {@code micros}. */
  private static dev.floe.sink.event.ChangeEvent opening(int id, long micros, long offset) {
    org.apache.kafka.connect.data.Schema key =
        org.apache.kafka.connect.data.SchemaBuilder.struct()
            .field("id", org.apache.kafka.connect.data.Schema.INT32_SCHEMA)
            .build();
    org.apache.kafka.connect.data.Schema row =
        org.apache.kafka.connect.data.SchemaBuilder.struct()
            .name("row")
            .optional()
            .field("id", org.apache.kafka.connect.data.Schema.INT32_SCHEMA)
            .field(
                "opens",
                org.apache.kafka.connect.data.SchemaBuilder.int64()
                    .name("io.debezium.time.MicroTime")
                    .optional()
                    .build())
            .build();
    org.apache.kafka.connect.data.Schema envelope =
        org.apache.kafka.connect.data.SchemaBuilder.struct()
            .field("after", row)
            .field("op", org.apache.kafka.connect.data.Schema.STRING_SCHEMA)
            .build();
    org.apache.kafka.connect.data.Struct after =
        new org.apache.kafka.connect.data.Struct(row).put("id", id).put("opens", micros);
    return new dev.floe.sink.event.ChangeEventParser()
        .parse(
            new org.apache.kafka.connect.sink.SinkRecord(
                "t.public.items",
                0,
                key,
                new org.apache.kafka.connect.data.Struct(key).put("id", id),
                envelope,
                new org.apache.kafka.connect.data.Struct(envelope)
                    .put("after", after)
                    .put("op", "u"),
                offset));
  }

  @Test
  void aTaskStartedWhileItsOldInstanceStillStopsKeepsRunning() {
    // Connect starts a task again while the old instance may still be stuck stopping: the old
    // instance still holds the metric names
    SinkMetrics again =
        new SinkMetrics(
            dev.floe.common.metrics.WorkerPluginMetrics.wrap(
                new PluginMetricsImpl(registry, new LinkedHashMap<>(Map.of("connector", "sink")))));
    again.buffer(() -> 1L, () -> 2L);
    again.deadLettered();
    metrics.buffer(() -> 3L, () -> 4L);
    assertEquals(1L, value("buffered-change-events", null), "the first registration stays");
  }

  @Test
  void twoConnectorsWritingTablesOfTheSameNameCountApart() {
    SinkMetrics other =
        new SinkMetrics(
            dev.floe.common.metrics.WorkerPluginMetrics.wrap(
                new PluginMetricsImpl(
                    registry, new LinkedHashMap<>(Map.of("connector", "other")))));
    metrics.deadLettered();
    other.deadLettered();
    other.deadLettered();
    double sink = 0;
    double otherCount = 0;
    for (Map.Entry<MetricName, ? extends org.apache.kafka.common.Metric> e :
        registry.metrics().entrySet()) {
      if (e.getKey().name().equals("dead-letter-records-total")) {
        double v = (Double) e.getValue().metricValue();
        if (e.getKey().tags().get("connector").equals("sink")) {
          sink = v;
        } else {
          otherCount = v;
        }
      }
    }
    assertEquals(1.0, sink);
    assertEquals(2.0, otherCount);
  }

  @Test
  void aMaintenanceRunIsPublishedForItsTable() {
    InMemoryCatalog catalog = new InMemoryCatalog();
    catalog.initialize("mem", Map.of());
    CommitCycle cycle = cycle(catalog);
    cycle.apply(event("c", 1, "a", 0));
    cycle.commit();
    cycle.apply(event("u", 1, "b", 1));
    cycle.commit();
    org.apache.iceberg.Table table =
        catalog.loadTable(org.apache.iceberg.catalog.TableIdentifier.of("cdc", "public_items"));
    dev.floe.sink.maintain.MaintenanceSettings settings =
        new dev.floe.sink.maintain.MaintenanceSettings(
            true, 1_000, true, 1, 2, Long.MAX_VALUE, true, 60_000, 1, true, 50);
    dev.floe.sink.maintain.MaintenanceRun run =
        dev.floe.sink.maintain.MaintenanceRun.of(table, settings);

    metrics.maintained("cdc.public_items", run.run(System.currentTimeMillis()), run);

    assertEquals(2L, value("data-files", "cdc.public_items"), "as the run found the table");
    assertEquals(0L, value("equality-delete-files", "cdc.public_items"));
    assertEquals(1L, value("position-delete-files", "cdc.public_items"));
    assertEquals(1L, value("compactions-total", "cdc.public_items"));
    assertEquals(1L, value("maintenance-runs-total", "cdc.public_items"));
    assertEquals(0L, value("maintenance-last-run-failed", "cdc.public_items"));
  }

  /** The task's commit cycle on {@code catalog}, publishing to this test's metrics. */
  private CommitCycle cycle(InMemoryCatalog catalog) {
    dev.floe.sink.index.KeyIndexes indexes = new dev.floe.sink.index.KeyIndexes(true);
    metrics.keyIndexes(indexes);
    return CommitCycleBuilder.of(
            new TableWriters(
                new TableRouter("cdc"),
                new TableProvisioner(catalog, true, 2),
                dev.floe.sink.write.WriteMode.UPSERT,
                table -> Map.of(),
                dev.floe.sink.fill.FillSettings.DEFAULT,
                indexes,
                1),
            "sink")
        .flushMaxRecords(1_000)
        .metrics(metrics)
        .build();
  }

  private Object value(String name, String table) {
    for (Map.Entry<MetricName, ? extends org.apache.kafka.common.Metric> e :
        registry.metrics().entrySet()) {
      MetricName metric = e.getKey();
      if (metric.name().equals(name)
          && metric.group().equals("plugins")
          && java.util.Objects.equals(metric.tags().get("table"), table)) {
        return e.getValue().metricValue();
      }
    }
    throw new AssertionError("no metric " + name + " " + registry.metrics().keySet());
  }

  /**
   * A worker before Kafka 4.1 has no plugin metrics: the task registers the same names with JMX
   * itself, tagged with its connector and task, and unregisters them when it stops.
   */
  @Test
  void onAWorkerWithoutPluginMetricsTheSameNamesAreOnJmx() throws Exception {
    org.apache.kafka.connect.sink.SinkTaskContext older =
        (org.apache.kafka.connect.sink.SinkTaskContext)
            java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {org.apache.kafka.connect.sink.SinkTaskContext.class},
                (proxy, method, args) -> {
                  throw new NoSuchMethodError(method.getName()); // a Kafka 3.x context
                });
    SinkMetrics onOlder = SinkMetrics.of(older, "older-sink", 3);
    javax.management.MBeanServer jmx =
        java.lang.management.ManagementFactory.getPlatformMBeanServer();
    javax.management.ObjectName task =
        new javax.management.ObjectName("kafka.connect:type=plugins,connector=older-sink,task=3");
    try {
      onOlder.buffer(() -> 7L, () -> 70L);
      onOlder.deadLettered();
      assertEquals(7.0, ((Number) jmx.getAttribute(task, "buffered-change-events")).doubleValue());
      assertEquals(
          1.0, ((Number) jmx.getAttribute(task, "dead-letter-records-total")).doubleValue());
    } finally {
      onOlder.close();
    }
    assertEquals(false, jmx.isRegistered(task), "unregistered when the task stops");
  }
}
