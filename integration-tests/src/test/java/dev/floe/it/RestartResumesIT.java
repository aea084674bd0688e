package dev.floe.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What {@code floe-local up} promises after a stop: Postgres (with its replication slot), Kafka
 * (topics, Connect's configs and offsets) and the S3 objects all live in the data folder, so a
 * restart of every service resumes the pipeline where it stopped, without re-registering anything,
 * and changes made after the restart arrive with nothing lost or doubled.
 */
class RestartResumesIT extends PipelineTestBase {
  private static final Duration CATCH_UP = Duration.ofSeconds(120);

  @BeforeAll
  static void startPipeline() throws Exception {
    pipeline = PipelineHarness.start();
  }

  @Test
  void aFullRestartResumesFromTheDataFolder() throws Exception {
    pipeline.sql(
        "create schema inventory",
        "create table inventory.items (sku text primary key, qty int not null, note text)",
        "insert into inventory.items select 'sku-' || g, g, 'before start' from generate_series(1, 200) g");
    pipeline.startSource(
        "restart-source",
        Map.of(
            "topic.prefix",
            "rs",
            "schema.include.list",
            "inventory",
            "slot.name",
            "rs_slot",
            "publication.name",
            "rs_publication"));
    pipeline.startSink(
        "restart-sink",
        Map.of("topics.regex", "rs\\.inventory\\..*", "commit.interval.ms", "1000"));
    pipeline.sql(
        "update inventory.items set qty = qty + 1000 where qty % 10 = 0",
        "delete from inventory.items where qty % 7 = 0");
    pipeline.awaitSameRows("inventory.items", "cdc.inventory_items", "sku", CATCH_UP);

    pipeline.restartEverything();
    // nothing re-registered: the connectors come back from Connect's config topic in the kept Kafka
    // log
    pipeline.awaitRunning("restart-source");
    pipeline.awaitRunning("restart-sink");
    pipeline.sql(
        "insert into inventory.items select 'sku-' || g, g, 'after restart' from generate_series(201, 260) g",
        "update inventory.items set note = 'touched' where qty % 3 = 0",
        "delete from inventory.items where qty % 11 = 0");
    TableSnapshot result =
        pipeline.awaitSameRows("inventory.items", "cdc.inventory_items", "sku", CATCH_UP);
    assertEquals(0, result.duplicateKeys);
    assertEquals("after restart", result.rowsByKey.get("sku-202").get("note"));
  }
}
