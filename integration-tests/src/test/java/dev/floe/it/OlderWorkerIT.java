package dev.floe.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Both plugins on the oldest Kafka Connect worker Floe supports (3.6, as Confluent Platform 7.6 and
 * MSK Connect run it): a worker of Kafka 3.6's own jars (module worker-kafka3), in its own JVM,
 * loading the same archives from plugin.path. Such a worker has no plugin metrics (Kafka 4.1): the
 * connectors say so in the log once and run the same, snapshot then stream, on a table with
 * Postgres' default replica identity.
 */
class OlderWorkerIT extends PipelineTestBase {
  private static final Duration CATCH_UP = Duration.ofSeconds(180);

  @BeforeAll
  static void startPipeline() throws Exception {
    Path lib = Path.of(System.getProperty("floe.kafka3.worker.lib"));
    assertTrue(
        Files.isDirectory(lib), lib + " is missing: the worker-kafka3 module builds it (package)");
    List<Path> jars;
    try (Stream<Path> files = Files.list(lib)) {
      jars = files.filter(f -> f.toString().endsWith(".jar")).sorted().toList();
    }
    pipeline = PipelineHarness.startWithWorkerOf(jars);
  }

  @Test
  void theSourceAndTheSinkRunOnAKafka36Worker() throws Exception {
    String version = pipeline.stack.worker().rest().get("").path("version").asText();
    assertTrue(version.startsWith("3.6."), "the worker is Kafka " + version);

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
        count(log, "has no plugin metrics (they came with Kafka 4.1): the sink's"),
        "the sink says once that it publishes no metrics on this worker");
    assertTrue(
        log.contains("has no plugin metrics (they came with Kafka 4.1): the slot"),
        "the source says it too");
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
      n++;
    }
    return n;
  }
}
