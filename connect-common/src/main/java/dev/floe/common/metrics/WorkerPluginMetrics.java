package dev.floe.common.metrics;

import java.util.LinkedHashMap;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.MetricValueProvider;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.connect.connector.ConnectorContext;
import org.apache.kafka.connect.sink.SinkTaskContext;

/**
 * The worker's plugin metrics (Kafka 4.1+). The only class that names {@link PluginMetrics}: on an
 * older worker, where that type does not exist, it is never used past the failed lookup.
 */
public final class WorkerPluginMetrics implements PluginMetricsRegistry {
  private final PluginMetrics metrics;

  private WorkerPluginMetrics(PluginMetrics metrics) {
    this.metrics = metrics;
  }

  /** The worker's {@code metrics} as Floe registers with them (tests build their own). */
  public static PluginMetricsRegistry wrap(PluginMetrics metrics) {
    return new WorkerPluginMetrics(metrics);
  }

  static PluginMetricsRegistry of(SinkTaskContext context) {
    PluginMetrics metrics = context.pluginMetrics();
    return metrics == null ? null : new WorkerPluginMetrics(metrics);
  }

  static PluginMetricsRegistry of(ConnectorContext context) {
    PluginMetrics metrics = context.pluginMetrics();
    return metrics == null ? null : new WorkerPluginMetrics(metrics);
  }

  @Override
  public MetricName metricName(
      String name, String description, LinkedHashMap<String, String> tags) {
    return metrics.metricName(name, description, tags);
  }

  @Override
  public void addMetric(MetricName name, MetricValueProvider<?> provider) {
    metrics.addMetric(name, provider);
  }

  @Override
  public Sensor addSensor(String name) {
    return metrics.addSensor(name);
  }

  @Override
  public void removeMetric(MetricName name) {
    metrics.removeMetric(name);
  }

  @Override
  public void close() {
    // the worker closes its plugin metrics with the connector or task
  }
}
