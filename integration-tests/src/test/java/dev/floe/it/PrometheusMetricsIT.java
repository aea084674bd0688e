package dev.floe.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.floe.local.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Floe's metrics as Prometheus scrapes them: the worker runs with the Prometheus JMX exporter's
 * Java agent and config-examples/monitoring/jmx-exporter.yml, as docker compose and floe-local run
 * it. After a pipeline has run, every metric name the alerts (alerts.yml) and the dashboard
 * (grafana-dashboard.json) use is on the endpoint, the sink's per-table figures carry the
 * connector, task and table labels, and Connect's task states and Debezium's streaming metrics are
 * there too.
 */
class PrometheusMetricsIT extends PipelineTestBase {
  private static final Duration CATCH_UP = Duration.ofSeconds(120);
  private static final Pattern USED =
      Pattern.compile("\\b((?:floe|kafka_connect|debezium)_[a-z_]+)");
  private static int port;

  @BeforeAll
  static void startPipeline() throws Exception {
    port = FreePorts.pick();
    Path agent = Path.of(System.getProperty("floe.jmx.agent"));
    Path rules = Path.of(System.getProperty("floe.monitoring.dir"), "jmx-exporter.yml");
    assertTrue(Files.isRegularFile(agent), agent + " is missing: local-stack's package copies it");
    pipeline =
        PipelineHarness.startWithForkedWorkerOptions(
            List.of("-javaagent:" + agent + "=127.0.0.1:" + port + ":" + rules));
  }

  @Test
  void everyMetricTheAlertsAndTheDashboardUseIsScraped() throws Exception {
    pipeline.sql(
        "create schema watched",
        "create table watched.items (id int primary key, qty int not null)",
        "insert into watched.items select g, g from generate_series(1, 100) g");
    pipeline.startSource(
        "metrics-source",
        Map.of(
            "topic.prefix", "pm",
            "schema.include.list", "watched",
            "slot.name", "pm_slot",
            "publication.name", "pm_publication",
            "floe.slot.health.interval.ms", "1000"));
    pipeline.startSink(
        "metrics-sink",
        Map.of(
            "topics.regex", "pm\\.watched\\..*",
            "commit.interval.ms", "1000",
            "iceberg.maintenance.interval.ms", "2000",
            "errors.tolerance", "all",
            "errors.deadletterqueue.topic.name", "pm-dead-letters",
            "errors.deadletterqueue.topic.replication.factor", "1"));
    pipeline.sql(
        "update watched.items set qty = qty + 1 where id % 2 = 0",
        "delete from watched.items where id % 5 = 0");
    pipeline.awaitSameRows("watched.items", "cdc.watched_items", "id", CATCH_UP);

    Path monitoring = Path.of(System.getProperty("floe.monitoring.dir"));
    Set<String> used = new TreeSet<>();
    for (String file : List.of("alerts.yml", "grafana-dashboard.json")) {
      Matcher name = USED.matcher(Files.readString(monitoring.resolve(file)));
      while (name.find()) {
        used.add(name.group(1));
      }
    }
    used.add("debezium_postgres_millisecondsbehindsource");
    assertTrue(used.size() > 10, "names found in the monitoring files: " + used);

    Map<String, List<Map<String, String>>> scraped = new HashMap<>();
    Set<String> missing = new TreeSet<>(used);
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!missing.isEmpty() && System.nanoTime() < deadline) {
      scraped = scrape();
      missing = new TreeSet<>(used);
      missing.removeAll(scraped.keySet());
      if (!missing.isEmpty()) {
        Thread.sleep(2_000);
      }
    }
    Set<String> floe = new TreeSet<>();
    scraped.keySet().stream().filter(n -> n.startsWith("floe_")).forEach(floe::add);
    System.out.println("PrometheusMetricsIT scraped Floe metrics: " + floe);
    assertEquals(Set.of(), missing, "used by the alerts or the dashboard, not scraped");

    for (Map<String, String> labels : scraped.get("floe_sink_change_events_applied_total")) {
      assertEquals("metrics-sink", labels.get("connector"));
      assertTrue(labels.containsKey("task"), "task label: " + labels);
      assertEquals("cdc.watched_items", labels.get("table"));
    }
    assertTrue(
        scraped.get("floe_source_slot_retained_wal_bytes").stream()
            .anyMatch(labels -> "metrics-source".equals(labels.get("connector"))));
    assertTrue(
        scraped.get("kafka_connect_task_status").stream()
            .anyMatch(
                labels ->
                    "metrics-sink".equals(labels.get("connector"))
                        && "running".equals(labels.get("status"))));
  }

  private static Map<String, List<Map<String, String>>> scrape() throws Exception {
    return MetricsEndpoint.scrape(port);
  }
}
