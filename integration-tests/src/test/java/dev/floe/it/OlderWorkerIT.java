package dev.floe.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.floe.local.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Both plugins on the oldest Kafka Connect worker Floe supports (3.0, as Confluent Platform 7.0
 * runs it): a worker of Kafka 3.0's own jars (module worker-kafka3), in its own JVM, loading the
 * same archives from plugin.path, snapshot then stream, on a table with Postgres' default replica
 * identity. Such a worker has no plugin metrics (Kafka 4.1): Floe registers its metrics with JMX
 * itself, under the names a newer worker gives them, so the Prometheus JMX exporter's rules
 * (config-examples/monitoring) scrape the same series from it.
 */
class OlderWorkerIT extends PipelineTestBase {
  private static final Duration CATCH_UP = Duration.ofSeconds(180);
  private static int port;

  @BeforeAll
  static void startPipeline() throws Exception {
    Path lib = Path.of(System.getProperty("floe.kafka3.worker.lib"));
    assertTrue(
        Files.isDirectory(lib), lib + " is missing: the worker-kafka3 module builds it (package)");
    List<Path> jars;
    try (Stream<Path> files = Files.list(lib)) {
      jars = files.filter(f -> f.toString().endsWith(".jar")).sorted().toList();
    }
    port = FreePorts.pick();
    Path agent = Path.of(System.getProperty("floe.jmx.agent"));
    Path rules = Path.of(System.getProperty("floe.monitoring.dir"), "jmx-exporter.yml");
    pipeline =
        PipelineHarness.startWithWorkerOf(
            jars, List.of("-javaagent:" + agent + "=127.0.0.1:" + port + ":" + rules));
  }

  @Test
  void theSourceAndTheSinkRunOnAKafka30Worker() throws Exception {
    String version = pipeline.stack.worker().rest().get("").path("version").asText();
    assertTrue(version.startsWith("3.0."), "the worker is Kafka " + version);

    pipeline.sql(
        "create schema shop",
        "create table shop.orders (id bigint primary key, customer text not null,"
            + " amount numeric(12,2), note text, tags text[], placed timestamptz not null)",
        "insert into shop.orders select g, 'customer-' || (g % 37), g * 1.25,"
            + " repeat('n', 3000 + g), array['a', 'b' || g], now() - g * interval '1 minute'"
            + " from generate_series(1, 300) g");
    pipeline.startSource(
        "old-worker-source",
        Map.of(
            "topic.prefix", "ow",
            "schema.include.list", "shop",
            "slot.name", "ow_slot",
            "publication.name", "ow_publication"));
    pipeline.startSink(
        "old-worker-sink", Map.of("topics.regex", "ow\\.shop\\..*", "commit.interval.ms", "1000"));
    pipeline.awaitSameRows("shop.orders", "cdc.shop_orders", "id", CATCH_UP);

    // streamed changes with default replica identity: updates that leave the big note unchanged
    // (an unchanged TOAST value arrives as a placeholder), deletes, a key change, new rows
    pipeline.sql(
        "update shop.orders set amount = amount + 1 where id % 3 = 0",
        "delete from shop.orders where id % 10 = 0",
        "update shop.orders set id = id + 1000 where id in (7, 11, 13)",
        "insert into shop.orders select g, 'late', null, null, null, now()"
            + " from generate_series(301, 350) g",
        "update shop.orders set note = 'short now', tags = '{}' where id between 301 and 310");
    TableSnapshot result = pipeline.awaitSameRows("shop.orders", "cdc.shop_orders", "id", CATCH_UP);
    assertEquals(0, result.duplicateKeys);
    assertTrue(result.rowsByKey.containsKey("1007"), "the changed key landed");

    pipeline.awaitRunning("old-worker-source");
    pipeline.awaitRunning("old-worker-sink");
    String log = Files.readString(pipeline.workerLog());
    assertEquals(
        1,
        count(log, "has no plugin metrics (they came with Kafka 4.1): Floe's sink task metrics"),
        "the sink says once that it registers its metrics itself");
    assertEquals(
        1,
        count(log, "has no plugin metrics (they came with Kafka 4.1): Floe's connector metrics"));

    // what the alerts and the dashboard read, scraped from this worker as from a 4.1 one
    Waits.until(
        Duration.ofSeconds(60),
        "Floe's series on the 3.0 worker's endpoint",
        () -> {
          Map<String, List<Map<String, String>>> scraped = MetricsEndpoint.scrape(port);
          return has(scraped, "floe_sink_change_events_applied_total", "old-worker-sink", "0")
              && has(scraped, "floe_sink_last_commit_age_ms", "old-worker-sink", "0")
              && has(scraped, "floe_task_buffered_change_events", "old-worker-sink", "0")
              && has(scraped, "floe_source_slot_retained_wal_bytes", "old-worker-source", null);
        },
        () ->
            String.valueOf(
                MetricsEndpoint.scrape(port).keySet().stream()
                    .filter(n -> n.startsWith("floe_"))
                    .sorted()
                    .toList()));
  }

  private static boolean has(
      Map<String, List<Map<String, String>>> scraped, String name, String connector, String task) {
    return scraped.getOrDefault(name, List.of()).stream()
        .anyMatch(
            labels ->
                connector.equals(labels.get("connector"))
                    && (task == null || task.equals(labels.get("task")))
                    && (!name.startsWith("floe_sink_")
                        || "cdc.shop_orders".equals(labels.get("table"))));
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
      n++;
    }
    return n;
  }
}
