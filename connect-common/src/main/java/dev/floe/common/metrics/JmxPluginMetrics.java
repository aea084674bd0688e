package dev.floe.common.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.JmxReporter;
import org.apache.kafka.common.metrics.KafkaMetricsContext;
import org.apache.kafka.common.metrics.MetricConfig;
import org.apache.kafka.common.metrics.MetricValueProvider;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.utils.Time;

/**
 * Plugin metrics for a worker without them (before Kafka 4.1): Kafka's own metrics registry and JMX
 * reporter, with the names the worker's would give ({@code kafka.connect} domain, group {@code
 * plugins}, the connector's and the task's tags first). Only the {@code type=plugins} beans are
 * published: the registry's bean counting its metrics would take the name of the worker's own.
 */
final class JmxPluginMetrics implements PluginMetricsRegistry {
  private static final String GROUP = "plugins";

  private final Metrics metrics;
  private final Map<String, String> owner;

  private JmxPluginMetrics(Map<String, String> owner) {
    this.owner = owner;
    JmxReporter jmx = new JmxReporter();
    jmx.configure(Map.of(JmxReporter.INCLUDE_CONFIG, "kafka\\.connect:type=plugins,.*"));
    this.metrics =
        new Metrics(
            new MetricConfig(),
            List.of(jmx),
            Time.SYSTEM,
            new KafkaMetricsContext("kafka.connect"));
  }

  static JmxPluginMetrics forTask(String connector, int task) {
    Map<String, String> owner = new LinkedHashMap<>();
    owner.put("connector", connector);
    owner.put("task", String.valueOf(task));
    return new JmxPluginMetrics(owner);
  }

  static JmxPluginMetrics forConnector(String connector) {
    Map<String, String> owner = new LinkedHashMap<>();
    owner.put("connector", connector);
    return new JmxPluginMetrics(owner);
  }

  @Override
  public MetricName metricName(
      String name, String description, LinkedHashMap<String, String> tags) {
    Map<String, String> all = new LinkedHashMap<>(owner);
    for (String tag : tags.keySet()) {
      if (owner.containsKey(tag)) {
        throw new IllegalArgumentException("Cannot use " + tag + " as a tag name");
      }
    }
    all.putAll(tags);
    return metrics.metricName(name, GROUP, description, all);
  }

  @Override
  public void addMetric(MetricName name, MetricValueProvider<?> provider) {
    metrics.addMetric(name, provider);
  }

  @Override
  public Sensor addSensor(String name) {
    return metrics.sensor(name);
  }

  @Override
  public void removeMetric(MetricName name) {
    metrics.removeMetric(name);
  }

  @Override
  public void close() {
    metrics.close(); // unregisters the beans: the task's next instance registers them again
  }
}
