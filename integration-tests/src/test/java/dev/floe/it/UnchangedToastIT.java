package dev.floe.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Postgres as it is: tables under the default replica identity, whose large text, jsonb and int[]
 * values are stored out of line. An update that leaves such a value unchanged arrives with
 * Debezium's placeholder in its place; the sink takes the value from the row's last state, so every
 * other column of the change applies and nothing goes to the dead letter topic. A seeded random
 * workload with primary-key changes runs over a one-partition and a three-partition topic, read by
 * two sink tasks, with the worker killed and restarted mid-run: each Iceberg table equals its
 * Postgres table, large columns included.
 */
class UnchangedToastIT extends PipelineTestBase {
  private static final String DEAD_LETTERS = "toast-dead-letters";
  private static final Duration CATCH_UP = Duration.ofSeconds(240);
  // three partitions each, keyed by a uuid, by text beyond ASCII, by (text, timestamptz)
  private static final String[] KEYED_OTHERWISE = {
    "three" + ToastWorkload.UUID_KEYS,
    "three" + ToastWorkload.TEXT_KEYS,
    "three" + ToastWorkload.PAIR_KEYS
  };

  @BeforeAll
  static void startPipeline() throws Exception {
    pipeline = PipelineHarness.startWithForkedWorker();
    pipeline.sql("create schema toast");
    pipeline.sql(ToastWorkload.ddl("toast.one"));
    pipeline.sql(ToastWorkload.ddl("toast.three"));
    pipeline.sql(ToastWorkload.ddl("toast.pages"));
    pipeline.sql(ToastWorkload.ddl("toast.evolving"));
    for (String keyed : KEYED_OTHERWISE) {
      pipeline.sql(ToastWorkload.ddl("toast." + keyed));
    }
    Map<String, String> source = new HashMap<>();
    source.put("topic.prefix", "toast");
    source.put("schema.include.list", "toast");
    source.put("slot.name", "toast_slot");
    source.put("publication.name", "toast_publication");
    // three partitions per topic: a key change's old and new key often land on different ones,
    // read by different tasks...
    source.put("topic.creation.default.partitions", "3");
    // ...except toast.one, on Debezium's default of one partition
    source.put("topic.creation.groups", "single");
    source.put("topic.creation.single.include", "toast\\.toast\\.(one|pages)");
    source.put("topic.creation.single.partitions", "1");
    source.put("topic.creation.single.replication.factor", "1");
    pipeline.startSource("toast-source", source);
    Map<String, String> sink = new HashMap<>();
    sink.put("topics.regex", "toast\\.toast\\..*");
    sink.put("tasks.max", "2");
    sink.put("commit.interval.ms", "500");
    sink.put("errors.tolerance", "all");
    sink.put("errors.deadletterqueue.topic.name", DEAD_LETTERS);
    sink.put("errors.deadletterqueue.topic.replication.factor", "1");
    sink.put("errors.deadletterqueue.context.headers.enable", "true");
    pipeline.startSink("toast-sink", sink);
  }

  @Test
  void anUpdateThatLeavesLargeValuesAloneAppliesWithTheirRealValues() throws Exception {
    pipeline.sql(
        "insert into toast.pages select g, 0, 'note ' || g, repeat(md5(g::text), 200),"
            + " jsonb_build_object('k', repeat(md5(g::text), 100)),"
            + " array(select h from generate_series(1, 1500) h) from generate_series(1, 3) g");
    pipeline.awaitSameRows("toast.pages", "cdc.toast_pages", "id", CATCH_UP);
    pipeline.sql(
        // large values unchanged: Debezium sends placeholders for body, doc and nums
        "update toast.pages set note = 'renamed', version = 1 where id = 1",
        // one large value rewritten, the others unchanged
        "update toast.pages set body = 'short body', version = 1 where id = 2",
        "insert into toast.pages values (4, 0, 'fresh', 'small', '{}', '{1}')",
        // a new key whose large values stay in the old key's row
        "update toast.pages set id = 5, note = 'moved' where id = 3");
    TableSnapshot rows = pipeline.awaitSameRows("toast.pages", "cdc.toast_pages", "id", CATCH_UP);
    assertEquals("renamed", rows.rowsByKey.get("1").get("note"));
    assertTrue(
        rows.rowsByKey.get("5").get("body").length() > 6000, "the real body, not a stand-in");
    assertEquals(0, TopicRecords.count(pipeline.stack.kafka().bootstrapServers(), DEAD_LETTERS));
  }

  /**
   * ALTER TABLE amid key changes whose new rows wait for their old row's large values, on three
   * partitions read by two tasks: both tasks meet each new shape at about the same time, each with
   * rows waiting for the other's, and neither may stop reading while it waits.
   */
  @Test
  void schemaChangesAmidKeyChangesOnTwoTasksStayExact() throws Exception {
    long seed = Long.getLong("floe.it.seed", System.nanoTime());
    System.out.println(
        "UnchangedToastIT (schema changes) seed "
            + seed
            + " (rerun with -Dfloe.it.seed="
            + seed
            + ")");
    ToastWorkload workload = new ToastWorkload(seed, pipeline::postgres, "toast.evolving");
    workload.run(120);
    for (int round = 1; round <= 5; round++) {
      pipeline.sql(
          round == 3
              ? "alter table toast.evolving alter column version type bigint"
              : "alter table toast.evolving add column extra" + round + " int");
      workload.run(120);
    }
    TableSnapshot rows =
        pipeline.awaitSameRows("toast.evolving", "cdc.toast_evolving", "id", CATCH_UP);
    assertEquals(0, rows.duplicateKeys);
    assertTrue(rows.rowsByKey.size() > 20, "the workload leaves rows to compare");
    assertEquals(
        0,
        TopicRecords.count(pipeline.stack.kafka().bootstrapServers(), DEAD_LETTERS),
        "nothing goes to the dead letter topic");
  }

  @Test
  void aRandomWorkloadWithKeyChangesAndARestartStaysExact() throws Exception {
    long seed = Long.getLong("floe.it.seed", System.nanoTime());
    System.out.println(
        "UnchangedToastIT seed " + seed + " (rerun with -Dfloe.it.seed=" + seed + ")");
    ToastWorkload workload =
        new ToastWorkload(
            seed,
            pipeline::postgres,
            "toast.one",
            "toast.three",
            "toast." + KEYED_OTHERWISE[0],
            "toast." + KEYED_OTHERWISE[1],
            "toast." + KEYED_OTHERWISE[2]);
    workload.run(900);
    pipeline.stack.killWorker(); // mid-run: what was not committed is read again
    workload.run(300);
    pipeline.stack.startWorker(Map.of());
    workload.run(900);
    System.out.println("UnchangedToastIT applied " + workload.operations + " operations");

    java.util.List<String> tables = new java.util.ArrayList<>(java.util.List.of("one", "three"));
    tables.addAll(java.util.List.of(KEYED_OTHERWISE));
    for (String table : tables) {
      TableSnapshot rows =
          pipeline.awaitSameRowsByKeys(
              "toast." + table,
              "cdc.toast_" + table,
              ToastWorkload.KeyKind.of(table).keyColumns,
              CATCH_UP);
      assertEquals(0, rows.duplicateKeys);
      assertTrue(rows.rowsByKey.size() > 20, "the workload leaves rows to compare");
    }
    assertEquals(
        0,
        TopicRecords.count(pipeline.stack.kafka().bootstrapServers(), DEAD_LETTERS),
        "nothing goes to the dead letter topic");
  }
}
