package dev.floe.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.floe.local.ConnectRestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The infrastructure fails under a running workload: the S3 endpoint is gone for 30 seconds (the
 * sink retries its commits with backoff, committing nothing partial), then the Kafka broker
 * restarts. Nothing is restarted by hand, and at the end the tables still equal Postgres. And a
 * sink task fails for good: the task that takes its partitions takes its tables' maintenance too.
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

  /**
   * The task holding partition 0 of a table's topic maintains the table. When it fails (here a
   * commit of another of its partitions, as when a commit's retry budget runs out), the surviving
   * task takes partition 0 over: it maintains the table from then on, although nothing new arrives
   * on partition 0 for it to commit (before, maintenance moved only with a commit of partition 0).
   */
  @Test
  void aFailedSinkTaskHandsItsTablesMaintenanceToTheTaskTakingItsPartitions() throws Exception {
    pipeline.sql(
        "CREATE SCHEMA handover",
        "CREATE TABLE handover.items (id int PRIMARY KEY, note text)",
        "INSERT INTO handover.items SELECT g, 'first' FROM generate_series(1, 300) g");
    pipeline.startSource(
        "handover-source",
        Map.of(
            "topic.prefix",
            "handover",
            "schema.include.list",
            "handover",
            "slot.name",
            "handover_slot",
            "publication.name",
            "handover_publication",
            "topic.creation.default.partitions",
            "3"));
    String topic = "handover.handover.items";
    Map<String, String> sink = new HashMap<>();
    sink.put("topics.regex", "handover\\.handover\\.items");
    sink.put("tasks.max", "2");
    sink.put("commit.interval.ms", "500");
    sink.put("iceberg.maintenance.interval.ms", "1000");
    sink.put("iceberg.maintenance.compaction.min-delete-files", "1");
    // off until the task holding partition 0 has failed: then the survivor's maintenance shows
    sink.put("iceberg.tables.properties.floe.maintenance.enabled", "false");
    pipeline.startSink("handover-sink", sink);
    pipeline.awaitSameRows("handover.items", "cdc.handover_items", "id", Duration.ofSeconds(120));

    Map<Integer, Set<Integer>> byTask = assignment("handover-sink");
    int holder =
        byTask.entrySet().stream()
            .filter(e -> e.getValue().contains(0))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no task holds partition 0: " + byTask))
            .getKey();
    // a partition of the holder's other than 0, so that partition 0 gets nothing new (with range
    // assignment of 3 partitions to 2 tasks, the holder of 0 also holds 1)
    int failing = byTask.get(holder).stream().filter(p -> p != 0).findFirst().orElse(0);
    List<Integer> keys = new ArrayList<>();
    for (TopicRecords.Entry record :
        TopicRecords.readAll(pipeline.stack.kafka().bootstrapServers(), topic)) {
      if (record.partition() == failing) {
        keys.add(record.key().path("payload").path("id").asInt());
      }
    }
    String failpoint = "floe.failpoint.fail-commit-covering";
    System.setProperty(failpoint, topic + "-" + failing);
    try {
      pipeline.sql(
          "UPDATE handover.items SET note = 'second' WHERE id IN ("
              + keys.stream().map(String::valueOf).collect(Collectors.joining(","))
              + ")");
      ConnectRestClient rest = pipeline.stack.worker().rest();
      Waits.until(
          Duration.ofSeconds(60),
          "task " + holder + " failed",
          () -> "FAILED".equals(taskState(rest, "handover-sink", holder)),
          () -> String.valueOf(rest.status("handover-sink")));
    } finally {
      System.clearProperty(failpoint);
    }
    // the survivor reads the failed task's partitions again and commits what it lost
    pipeline.awaitSameRows("handover.items", "cdc.handover_items", "id", Duration.ofSeconds(120));
    Table table = pipeline.table("cdc.handover_items");
    assertTrue(deleteFiles(table) > 0, "the updates left delete files for a compaction to remove");
    table.updateProperties().set("floe.maintenance.enabled", "true").commit();
    Waits.until(
        Duration.ofSeconds(60),
        "cdc.handover_items compacted by the surviving task",
        () -> deleteFiles(pipeline.table("cdc.handover_items")) == 0,
        () -> "delete files: " + deleteFiles(pipeline.table("cdc.handover_items")));
    assertEquals(
        "FAILED",
        taskState(pipeline.stack.worker().rest(), "handover-sink", holder),
        "the failed task stayed failed: the survivor compacted");
    TableSnapshot rows =
        pipeline.awaitSameRows(
            "handover.items", "cdc.handover_items", "id", Duration.ofSeconds(30));
    assertEquals(0, rows.duplicateKeys);
  }

  /** Task id → the partitions its consumer holds, from the sink's consumer group. */
  private static Map<Integer, Set<Integer>> assignment(String connector) throws Exception {
    Properties props = new Properties();
    props.put("bootstrap.servers", pipeline.stack.kafka().bootstrapServers());
    try (Admin admin = Admin.create(props)) {
      ConsumerGroupDescription group =
          admin
              .describeConsumerGroups(List.of("connect-" + connector))
              .all()
              .get()
              .get("connect-" + connector);
      Map<Integer, Set<Integer>> byTask = new TreeMap<>();
      for (MemberDescription member : group.members()) {
        String client = member.clientId(); // connector-consumer-<connector>-<task>
        int task = Integer.parseInt(client.substring(client.lastIndexOf('-') + 1));
        Set<Integer> partitions = new TreeSet<>();
        member.assignment().topicPartitions().forEach(tp -> partitions.add(tp.partition()));
        byTask.put(task, partitions);
      }
      return byTask;
    }
  }

  private static String taskState(ConnectRestClient rest, String connector, int task)
      throws Exception {
    for (JsonNode node : rest.status(connector).path("tasks")) {
      if (node.path("id").asInt() == task) {
        return node.path("state").asText();
      }
    }
    return null;
  }

  private static int deleteFiles(Table table) {
    table.refresh();
    Snapshot current = table.currentSnapshot();
    return current == null
        ? 0
        : Integer.parseInt(current.summary().getOrDefault("total-delete-files", "0"));
  }
}
