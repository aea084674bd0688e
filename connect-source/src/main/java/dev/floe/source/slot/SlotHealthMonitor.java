package dev.floe.source.slot;

import dev.floe.common.metrics.PluginMetricsRegistry;
import dev.floe.source.config.SourceDatabase;
import io.debezium.connector.postgresql.connection.PostgresConnection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.connect.connector.ConnectorContext;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls the connector's replication slot on a thread of its own and publishes what it sees as
 * plugin metrics ({@code kafka.connect:type=plugins,connector=<name>}, registered by Floe itself on
 * a worker before Kafka 4.1): the WAL the slot retains, whether a walsender streams from it, and
 * how long ago its confirmed flush position last moved. It warns when the slot retains too much
 * WAL, and fails the connector when a slot it has seen disappears or loses its WAL, since streaming
 * cannot resume from where it stopped.
 */
public final class SlotHealthMonitor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SlotHealthMonitor.class);

  private final Map<String, String> config;
  private final String slotName;
  private final SlotHealthConfig settings;
  private final ConnectorContext context;
  private final ScheduledExecutorService poller;
  private final List<MetricName> registered = new ArrayList<>();
  private PluginMetricsRegistry metrics;
  private PostgresConnection connection;
  private volatile SlotStatus last = SlotStatus.MISSING;
  private volatile long flushMovedAtMs = System.currentTimeMillis();
  private boolean seen;
  private boolean failed;

  SlotHealthMonitor(Map<String, String> config, ConnectorContext context) {
    this.config = config;
    this.slotName = config.get("slot.name");
    this.settings = new SlotHealthConfig(config);
    this.context = context;
    this.poller =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "floe-slot-health-" + slotName);
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Registers the slot metrics with the connector's plugin metrics and starts polling. */
  public static SlotHealthMonitor start(Map<String, String> config, ConnectorContext context) {
    SlotHealthMonitor monitor = new SlotHealthMonitor(config, context);
    monitor.register(
        PluginMetricsRegistry.forConnector(context, config.getOrDefault("name", "floe-source")));
    long interval = monitor.settings.intervalMs();
    monitor.poller.scheduleWithFixedDelay(monitor::poll, 0, interval, TimeUnit.MILLISECONDS);
    return monitor;
  }

  private void register(PluginMetricsRegistry metrics) {
    this.metrics = metrics;
    gauge(
        metrics,
        "slot-retained-wal-bytes",
        "WAL bytes the replication slot keeps on the database's disk (behind its restart_lsn);"
            + " -1 until the slot exists.",
        () -> last.retainedBytes());
    gauge(
        metrics,
        "slot-confirmed-lag-bytes",
        "WAL bytes written since the slot's confirmed flush position; -1 until the slot exists.",
        () -> last.lagBytes());
    gauge(
        metrics,
        "slot-active",
        "1 while a walsender streams from the replication slot, else 0.",
        () -> last.active() ? 1 : 0);
    gauge(
        metrics,
        "slot-confirmed-flush-age-seconds",
        "Seconds since the slot's confirmed flush position was last seen to advance.",
        () -> (System.currentTimeMillis() - flushMovedAtMs) / 1000);
  }

  private void gauge(
      PluginMetricsRegistry metrics, String name, String description, Supplier<Number> value) {
    Gauge<Number> gauge = (metricConfig, nowMs) -> value.get();
    MetricName metricName = metrics.metricName(name, description, new LinkedHashMap<>());
    try {
      metrics.addMetric(metricName, gauge);
      registered.add(metricName);
    } catch (IllegalArgumentException taken) {
      // the connector's previous instance, still stopping, holds the name: not worth failing for
      LOG.warn("Slot metric {} is still held by a stopping instance", name);
    }
  }

  private void poll() {
    try {
      if (connection == null) {
        connection = SourceDatabase.connect(config, "floe-slot-health");
      }
      observe(SlotStatus.read(connection, slotName));
    } catch (Exception e) {
      LOG.warn("Could not read replication slot {}: {}", slotName, e.getMessage());
      closeConnection();
    }
  }

  // package-private: the unit test feeds it what pg_replication_slots would say
  void observe(SlotStatus now) {
    if (now.exists() && !Objects.equals(now.confirmedFlushLsn(), last.confirmedFlushLsn())) {
      flushMovedAtMs = System.currentTimeMillis();
    }
    last = now;
    if (now.exists()) {
      seen = true;
      if (now.retainedBytes() > settings.warnBytes()) {
        LOG.warn(
            "Replication slot {} retains {} bytes of WAL (above {}={}); active={}, confirmed flush"
                + " {}: the connector is behind or stopped, and the database keeps this WAL on disk",
            slotName,
            now.retainedBytes(),
            SlotHealthConfig.WARN_BYTES,
            settings.warnBytes(),
            now.active(),
            now.confirmedFlushLsn());
      }
    }
    if (seen && !failed && (!now.exists() || now.lost()) && !dropsSlotOnStop()) {
      failed = true;
      String what = now.exists() ? "has lost WAL it needed (wal_status=lost)" : "has disappeared";
      String message = SlotLossCheck.explain(slotName, what, config.get("topic.prefix"));
      LOG.error(message);
      context.raiseError(new ConnectException(message));
    }
  }

  private boolean dropsSlotOnStop() {
    return Boolean.parseBoolean(config.getOrDefault("slot.drop.on.stop", "false"));
  }

  private void closeConnection() {
    if (connection != null) {
      connection.close();
      connection = null;
    }
  }

  @Override
  public void close() {
    poller.shutdownNow();
    try {
      poller.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeConnection();
    // Connect starts the same connector instance again after a stop or pause, with the same
    // plugin metrics
    if (metrics != null) {
      registered.forEach(metrics::removeMetric);
      registered.clear();
      metrics.close();
    }
  }
}
