package dev.floe.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The infrastructure fails under a running workload: the S3 endpoint is gone for 30 seconds (the
 * sink retries its commits with backoff, committing nothing partial), then the Kafka broker
 * restarts. Nothing is restarted by hand, and at the end the tables still equal Postgres.
 */
class OutagesIT extends PipelineTestBase {

  @BeforeAll
  static void startPipeline() throws Exception {
    pipeline = PipelineHarness.start();
  }

  @Test
  void anS3OutageAndABrokerRestartLoseNothing() throws Exception {
    RandomWorkload workload = new RandomWorkload(7, pipeline::postgres);
    pipeline.sql(RandomWorkload.DDL);
    workload.run(100);
    pipeline.startSource(
        "out-source",
        Map.of(
            "topic.prefix",
            "out",
            "schema.include.list",
            "chaos",
            "slot.name",
            "out_slot",
            "publication.name",
            "out_publication"));
    pipeline.startSink(
        "out-sink", Map.of("topics.regex", "out\\.chaos\\..*", "commit.interval.ms", "500"));
    AtomicBoolean outagesOver = new AtomicBoolean();
    CompletableFuture<Void> writes =
        CompletableFuture.runAsync(
            () -> {
              try {
                workload.runUntil(outagesOver::get, 500, 10);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    Thread.sleep(3_000);
    pipeline.stack.restartS3(Duration.ofSeconds(30));
    Thread.sleep(5_000);
    pipeline.stack.restartKafka(Duration.ofSeconds(5));
    Thread.sleep(5_000);
    outagesOver.set(true);
    writes.get();

    for (String table : new String[] {"accounts", "events"}) {
      TableSnapshot rows =
          pipeline.awaitSameRows(
              "chaos." + table, "cdc.chaos_" + table, "id", Duration.ofSeconds(240));
      assertEquals(0, rows.duplicateKeys);
    }
    assertEquals(true, pipeline.stack.worker().rest().isRunning("out-sink"), "no task failed");
  }
}
