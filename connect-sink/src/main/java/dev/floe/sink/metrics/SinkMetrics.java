package dev.floe.sink.metrics;

import dev.floe.common.metrics.PluginMetricsRegistry;
import dev.floe.sink.write.TableFlush;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.connect.sink.SinkTaskContext;

/**
 * What a sink task applied, over JMX as Kafka Connect plugin metrics (KIP-877): under {@code
 * kafka.connect:type=plugins,connector=<name>,task=<n>} the task's buffer, dead letters and dropped
 * records, and with a {@code table=<namespace.table>} tag each table's applied changes, files,
 * commit times and freshness ({@link TableMetrics}). A worker older than Kafka 4.1 has no plugin
 * metrics: Floe registers the same names with JMX itself ({@link PluginMetricsRegistry}).
 */
public final class SinkMetrics {
  /** Records nothing: for tests and benchmarks. */
  public static final SinkMetrics NONE = new SinkMetrics(null);

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SinkMetrics.class);

  private final PluginMetricsRegistry metrics;
  // sensor names are global in the worker's registry: unique per task instance
  private final String sensorPrefix = "floe-sink-" + java.util.UUID.randomUUID() + ":";
  private final Map<String, TableMetrics> tables = new ConcurrentHashMap<>();
  private final Map<String, MaintenanceMetrics> maintained = new ConcurrentHashMap<>();
  private final Sensor deadLetters;
  private final Sensor dropped;
  private final Sensor unfilled;
  private volatile dev.floe.sink.index.KeyIndexes keyIndexes = dev.floe.sink.index.KeyIndexes.NONE;

  SinkMetrics(PluginMetricsRegistry metrics) {
    this.metrics = metrics;
    this.deadLetters = metrics == null ? null : metrics.addSensor(sensorPrefix + "dead-letters");
    if (deadLetters != null) {
      register(
          () ->
              deadLetters.add(
                  name("dead-letter-records-total", "Records sent to the dead letter topic."),
                  new CumulativeSum()));
    }
    this.dropped = metrics == null ? null : metrics.addSensor(sensorPrefix + "dropped");
    if (dropped != null) {
      register(
          () ->
              dropped.add(
                  name(
                      "dropped-records-total",
                      "Records the sink could not apply and dropped, written nowhere:"
                          + " errors.tolerance=all without errors.deadletterqueue.topic.name."),
                  new CumulativeSum()));
    }
    this.unfilled = metrics == null ? null : metrics.addSensor(sensorPrefix + "unfilled");
    if (unfilled != null) {
      register(
          () ->
              unfilled.add(
                  name(
                      "unfilled-changes-total",
                      "Changes refused because a value Postgres did not send (an unchanged TOASTed"
                          + " value) could not be filled from the row's last state, e.g. a"
                          + " primary-key change whose old row another task did not commit in"
                          + " time."),
                  new CumulativeSum()));
    }
  }

  /**
   * Registers a metric, unless the task's previous instance still holds its name: Connect starts a
   * task again while the old one may still be stopping (stuck in a commit during an outage), and a
   * metric is not worth failing the task for.
   */
  static void register(Runnable registration) {
    try {
      registration.run();
    } catch (IllegalArgumentException taken) {
      LOG.warn("A metric is still held by this task's previous instance: {}", taken.getMessage());
    }
  }

  /**
   * Task {@code task} of connector {@code connector}: its metrics in the worker's plugin metrics,
   * or on a worker before Kafka 4.1 (KIP-877) registered with JMX by Floe under the same names.
   */
  public static SinkMetrics of(SinkTaskContext context, String connector, int task) {
    return new SinkMetrics(PluginMetricsRegistry.forSinkTask(context, connector, task));
  }

  /** Unregisters what Floe registered itself (an older worker); the worker's own it closes. */
  public void close() {
    if (metrics != null) {
      metrics.close();
    }
  }

  /** Registers gauges of what the task holds in memory, not yet committed. */
  public void buffer(LongSupplier events, LongSupplier bytes) {
    if (metrics != null) {
      register(
          () ->
              metrics.addMetric(
                  name("buffered-change-events", "Change events read but not yet committed."),
                  (Gauge<Long>) (config, now) -> events.getAsLong()));
      register(
          () ->
              metrics.addMetric(
                  name(
                      "buffered-bytes", "Estimated memory of the change events not yet committed."),
                  (Gauge<Long>) (config, now) -> bytes.getAsLong()));
    }
  }

  /** A flush of a table landed in a snapshot, {@code commitMs} after it started. */
  public void committed(TableFlush flush, long commitMs) {
    if (metrics != null) {
      table(tag(flush.table().name())).committed(flush, commitMs);
    }
  }

  /** A change was refused because a value Postgres did not send could not be filled. */
  public void unfilled() {
    if (unfilled != null) {
      unfilled.record();
    }
  }

  /** A read of {@code table} for the last state of {@code keys} rows took {@code millis}. */
  public void lookedUp(org.apache.iceberg.Table table, int keys, int found, long millis) {
    if (metrics != null) {
      table(tag(table.name())).lookedUp(keys, millis);
    }
  }

  /** Iceberg names tables catalog.namespace.table; the tag is what users route to. */
  private static String tag(String name) {
    return name.substring(name.indexOf('.') + 1);
  }

  /** A gauge of one table, tagged {@code table=<table>}. */
  static void tableGauge(
      PluginMetricsRegistry metrics,
      String table,
      String name,
      String description,
      java.util.function.LongSupplier value) {
    register(
        () ->
            metrics.addMetric(
                tableMetric(metrics, table, name, description),
                (Gauge<Long>) (config, now) -> value.getAsLong()));
  }

  static org.apache.kafka.common.MetricName tableMetric(
      PluginMetricsRegistry metrics, String table, String name, String description) {
    LinkedHashMap<String, String> tags = new LinkedHashMap<>();
    tags.put("table", table);
    return metrics.metricName(name, description, tags);
  }

  /** A maintenance run of {@code table} (catalog.namespace.table) ended. */
  public void maintained(
      String table,
      dev.floe.sink.maintain.TableFiles before,
      dev.floe.sink.maintain.MaintenanceRun run) {
    if (metrics != null) {
      maintained
          .computeIfAbsent(table, t -> new MaintenanceMetrics(metrics, t))
          .maintained(before, run);
    }
  }

  /** A record went to the dead letter topic. */
  public void deadLettered() {
    if (deadLetters != null) {
      deadLetters.record();
    }
  }

  /** A record the sink could not apply was dropped: there is no dead letter topic to take it. */
  public void dropped() {
    if (dropped != null) {
      dropped.record();
    }
  }

  private TableMetrics table(String table) {
    return tables.computeIfAbsent(
        table,
        t -> {
          TableMetrics created = new TableMetrics(metrics, sensorPrefix, t);
          tableGauge(
              metrics,
              t,
              "key-index-bytes",
              "Memory the table's key index takes on this task, its filters and the places of the"
                  + " rows the task wrote (0: no index).",
              () -> keyIndexes.bytesOf(t));
          tableGauge(
              metrics,
              t,
              "key-index-builds-total",
              "Times this task built the table's key index from the whole table (its first flush,"
                  + " after another writer's commit it could not follow, when it filled up).",
              () -> keyIndexes.buildsOf(t));
          return created;
        });
  }

  /** The key indexes whose size and builds are published per table. */
  public void keyIndexes(dev.floe.sink.index.KeyIndexes indexes) {
    this.keyIndexes = indexes;
  }

  private org.apache.kafka.common.MetricName name(String name, String description) {
    return metrics.metricName(name, description, new LinkedHashMap<>());
  }
}
