package dev.floe.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Connect worker is killed (SIGKILL) during the initial snapshot and again while changes
 * stream, on a worker with exactly-once source support. Counted in Kafka by a read-committed
 * reader: every streamed change (key, LSN, op) arrives exactly once, none missing; the interrupted
 * snapshot is redone from the start (its rows may arrive twice, as {@code r} events the sink folds
 * by key); and the topic folded by key equals the Postgres table.
 */
class SourceRestartIT extends PipelineTestBase {
  private static final int SNAPSHOT_ROWS = 150_000;
  private static final String TOPIC = "seam.seam.big";

  @BeforeAll
  static void startPipeline() throws Exception {
    pipeline =
        PipelineHarness.startWithForkedWorker(Map.of("exactly.once.source.support", "enabled"));
  }

  @Test
  void restartsMidSnapshotAndMidStreamLoseNothingAndDoubleNoChange() throws Exception {
    pipeline.sql(
        "create schema seam",
        "create table seam.big (id bigint primary key, v int not null)",
        "insert into seam.big select g, 0 from generate_series(1, " + SNAPSHOT_ROWS + ") g");
    Map<String, String> source = new HashMap<>();
    source.put("topic.prefix", "seam");
    source.put("schema.include.list", "seam");
    source.put("slot.name", "seam_slot");
    source.put("publication.name", "seam_publication");
    source.put("exactly.once.support", "required");
    // small events: this test counts records, it does not need their schemas
    source.put("key.converter.schemas.enable", "false");
    source.put("value.converter.schemas.enable", "false");
    pipeline.startSource("seam-source", source);

    String kafka = pipeline.stack.kafka().bootstrapServers();
    Waits.until(
        Duration.ofSeconds(90),
        "the snapshot to be under way",
        () -> TopicRecords.count(kafka, TOPIC) > 5_000,
        () -> TopicRecords.count(kafka, TOPIC) + " records");
    long atKill = TopicRecords.count(kafka, TOPIC);
    pipeline.stack.killWorker();
    assertTrue(atKill < SNAPSHOT_ROWS, "killed before the snapshot ended: " + atKill);
    pipeline.stack.startWorker(Map.of());
    Waits.until(
        Duration.ofSeconds(120),
        "the redone snapshot to finish",
        () -> snapshotIds(TopicRecords.readAll(kafka, TOPIC)).size() == SNAPSHOT_ROWS,
        () -> TopicRecords.count(kafka, TOPIC) + " records");

    Random random = new Random(7);
    int[] made = new int[1];
    int nextId = SNAPSHOT_ROWS + 1;
    for (int step = 0; step < 1_500; step++) {
      if (step == 600) {
        pipeline.stack.killWorker(); // the changes go on while no worker runs
      }
      if (step == 900) {
        pipeline.stack.startWorker(Map.of());
      }
      int dice = random.nextInt(10);
      String sql =
          dice < 6
              ? "update seam.big set v = v + 1 where id = " + (1 + random.nextInt(SNAPSHOT_ROWS))
              : dice < 8
                  ? "delete from seam.big where id = " + (1 + random.nextInt(SNAPSHOT_ROWS))
                  : "insert into seam.big values (" + nextId++ + ", 1)";
      made[0] += execute(sql);
    }

    List<TopicRecords.Entry>[] records = new List[1];
    Waits.until(
        Duration.ofSeconds(120),
        made[0] + " streamed changes in Kafka",
        () -> {
          records[0] = TopicRecords.readAll(kafka, TOPIC);
          return streamed(records[0]).size() >= made[0];
        },
        () -> streamed(records[0]).size() + " streamed changes");
    List<String> changes = streamed(records[0]);
    assertEquals(made[0], changes.size(), "every change once");
    assertEquals(made[0], new HashSet<>(changes).size(), "no (key, lsn, op) twice");
    assertEquals(foldedByKey(records[0]), postgresRows(), "the topic folded by key is the table");
  }

  private static int execute(String sql) throws Exception {
    try (Connection c = pipeline.postgres();
        Statement st = c.createStatement()) {
      return st.executeUpdate(sql);
    }
  }

  private static Set<Long> snapshotIds(List<TopicRecords.Entry> records) {
    Set<Long> ids = new HashSet<>();
    for (TopicRecords.Entry entry : records) {
      JsonNode payload = entry.payload();
      if (payload != null && "r".equals(payload.path("op").asText())) {
        ids.add(payload.path("after").path("id").asLong());
      }
    }
    return ids;
  }

  /** Streamed changes as "key lsn op", one per record. */
  private static List<String> streamed(List<TopicRecords.Entry> records) {
    if (records == null) {
      return List.of();
    }
    return records.stream()
        .filter(e -> e.payload() != null && !"r".equals(e.payload().path("op").asText()))
        .map(
            e ->
                e.key().path("id").asLong()
                    + " "
                    + e.payload().path("source").path("lsn").asLong()
                    + " "
                    + e.payload().path("op").asText())
        .toList();
  }

  /** Each key's last state in topic order: what an upserting reader ends with. */
  private static Map<Long, Integer> foldedByKey(List<TopicRecords.Entry> records) {
    Map<Long, Integer> rows = new HashMap<>();
    for (TopicRecords.Entry entry : records) {
      JsonNode payload = entry.payload();
      long id = entry.key().path("id").asLong();
      if (payload == null || "d".equals(payload.path("op").asText())) {
        rows.remove(id);
      } else {
        rows.put(id, payload.path("after").path("v").asInt());
      }
    }
    return rows;
  }

  private static Map<Long, Integer> postgresRows() throws Exception {
    Map<Long, Integer> rows = new HashMap<>();
    try (Connection c = pipeline.postgres();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select id, v from seam.big")) {
      while (rs.next()) {
        rows.put(rs.getLong(1), rs.getInt(2));
      }
    }
    return rows;
  }
}
