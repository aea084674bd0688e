package dev.floe.source.slot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.connector.ConnectorContext;
import org.junit.jupiter.api.Test;

class SlotHealthMonitorTest {
  private final List<Exception> raised = new ArrayList<>();
  private final ConnectorContext context = context(() -> null);

  /** A connector context that records raised errors and answers {@code pluginMetrics()} so. */
  private ConnectorContext context(java.util.function.Supplier<PluginMetrics> metrics) {
    return new ConnectorContext() {
      @Override
      public void requestTaskReconfiguration() {}

      @Override
      public void raiseError(Exception e) {
        raised.add(e);
      }

      @Override
      public PluginMetrics pluginMetrics() {
        return metrics.get();
      }
    };
  }

  private static SlotStatus slot(String confirmedFlush, String walStatus) {
    return new SlotStatus(true, true, 100, 10, confirmedFlush, walStatus);
  }

  @Test
  void aSlotNotCreatedYetIsNoAlarmButASlotThatVanishesFailsTheConnectorOnce() {
    try (SlotHealthMonitor monitor = monitor(Map.of())) {
      monitor.observe(SlotStatus.MISSING); // the task has not created it yet
      assertEquals(List.of(), raised);
      monitor.observe(slot("0/1", "reserved"));
      monitor.observe(SlotStatus.MISSING);
      monitor.observe(SlotStatus.MISSING);
      assertEquals(1, raised.size());
      assertTrue(raised.get(0).getMessage().contains("'s1' has disappeared"), raised.toString());
    }
  }

  @Test
  void aSlotThatLostItsWalFailsTheConnector() {
    try (SlotHealthMonitor monitor = monitor(Map.of())) {
      monitor.observe(slot("0/1", "reserved"));
      monitor.observe(slot("0/1", "lost"));
      assertTrue(raised.get(0).getMessage().contains("wal_status=lost"), raised.toString());
    }
  }

  @Test
  void aSlotDroppedOnStopByRequestIsNoAlarm() {
    try (SlotHealthMonitor monitor = monitor(Map.of("slot.drop.on.stop", "true"))) {
      monitor.observe(slot("0/1", "reserved"));
      monitor.observe(SlotStatus.MISSING);
      assertEquals(List.of(), raised);
    }
  }

  @Test
  void startsOnAWorkerWithoutPluginMetrics() throws Exception {
    // what a Kafka 3.x worker's context does: the method is not there
    ConnectorContext older =
        context(
            () -> {
              throw new NoSuchMethodError("ConnectorContext.pluginMetrics()");
            });
    Map<String, String> config =
        Map.of(
            "name", "older-worker-source",
            "slot.name", "s1",
            "topic.prefix", "shop",
            "database.hostname", "localhost",
            "database.port", "1",
            "floe.slot.health.interval.ms", "60000");
    javax.management.MBeanServer jmx =
        java.lang.management.ManagementFactory.getPlatformMBeanServer();
    javax.management.ObjectName bean =
        new javax.management.ObjectName("kafka.connect:type=plugins,connector=older-worker-source");
    try (SlotHealthMonitor monitor = SlotHealthMonitor.start(config, older)) {
      monitor.observe(slot("0/1", "reserved"));
      // the gauges are there all the same, registered by Floe under the worker's names
      assertEquals(1.0, ((Number) jmx.getAttribute(bean, "slot-active")).doubleValue());
      monitor.observe(slot("0/1", "lost"));
      assertTrue(raised.get(raised.size() - 1).getMessage().contains("wal_status=lost"));
    }
    assertFalse(jmx.isRegistered(bean), "unregistered when the connector stops");
    assertFalse(
        jmx.isRegistered(new javax.management.ObjectName("kafka.connect:type=kafka-metrics-count")),
        "the worker's own bean name is left alone");
  }

  private SlotHealthMonitor monitor(Map<String, String> extra) {
    Map<String, String> config =
        new java.util.HashMap<>(Map.of("slot.name", "s1", "topic.prefix", "shop"));
    config.putAll(extra);
    return new SlotHealthMonitor(config, context);
  }
}
