package dev.floe.common.metrics;

import java.util.LinkedHashMap;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.MetricValueProvider;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.connect.connector.ConnectorContext;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a connector or task registers its metrics: the worker's plugin metrics (Kafka 4.1+,
 * KIP-877), or, on an older worker, a registry of Floe's own that publishes them over JMX under the
 * same names ({@code kafka.connect:type=plugins,connector=<name>[,task=<n>]}), so dashboards,
 * alerts and the JMX exporter's rules read the same figures on any worker.
 */
public interface PluginMetricsRegistry extends AutoCloseable {
  MetricName metricName(String name, String description, LinkedHashMap<String, String> tags);

  void addMetric(MetricName name, MetricValueProvider<?> provider);

  Sensor addSensor(String name);

  void removeMetric(MetricName name);

  /** Unregisters what this registry published itself; the worker's own it closes itself. */
  @Override
  void close();

  /** A sink task's registry: tagged {@code connector} and {@code task}. */
  static PluginMetricsRegistry forSinkTask(SinkTaskContext context, String connector, int task) {
    return Said.workerOr(
        () -> WorkerPluginMetrics.of(context),
        "sink task",
        () -> JmxPluginMetrics.forTask(connector, task));
  }

  /** A connector's registry: tagged {@code connector}. */
  static PluginMetricsRegistry forConnector(ConnectorContext context, String connector) {
    return Said.workerOr(
        () -> WorkerPluginMetrics.of(context),
        "connector",
        () -> JmxPluginMetrics.forConnector(connector));
  }

  /** Logs once per kind that the worker has no plugin metrics and Floe publishes its own. */
  final class Said {
    private static final Logger LOG = LoggerFactory.getLogger(PluginMetricsRegistry.class);
    private static final java.util.Set<String> KINDS =
        java.util.concurrent.ConcurrentHashMap.newKeySet();

    private Said() {}

    /** The worker's registry, or on a worker without plugin metrics {@code own}'s, said once. */
    static PluginMetricsRegistry workerOr(
        java.util.function.Supplier<PluginMetricsRegistry> worker,
        String kind,
        java.util.function.Supplier<PluginMetricsRegistry> own) {
      try {
        PluginMetricsRegistry registry = worker.get();
        if (registry != null) {
          return registry;
        }
      } catch (NoSuchMethodError
          | NoClassDefFoundError
          | AbstractMethodError
          | UnsupportedOperationException olderWorker) {
        once(kind);
      }
      return own.get();
    }

    private static void once(String kind) {
      if (KINDS.add(kind)) {
        LOG.info(
            "This Kafka Connect worker has no plugin metrics (they came with Kafka 4.1): Floe's {}"
                + " metrics are registered with JMX by Floe itself, under the same names"
                + " (kafka.connect:type=plugins,...).",
            kind);
      }
    }
  }
}
