package dev.floe.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The same change stream written three ways by three sinks: soft deletes keep deleted rows marked,
 * a changelog keeps every change once, in order, and both agree with Postgres about what is live.
 */
class WriteModesIT extends PipelineTestBase {

  @BeforeAll
  static void startPipeline() throws Exception {
    pipeline = PipelineHarness.start();
  }

  @Test
  void softDeleteAndChangelogTablesAgreeWithPostgres() throws Exception {
    pipeline.sql(
        "create schema modes",
        "create table modes.items (id int primary key, name text, qty int)",
        "alter table modes.items replica identity full",
        "insert into modes.items select g, 'item ' || g, g from generate_series(1, 40) g");
    pipeline.startSource(
        "modes-source",
        Map.of(
            "topic.prefix",
            "md",
            "schema.include.list",
            "modes",
            "slot.name",
            "md_slot",
            "publication.name",
            "md_publication"));
    for (String mode : new String[] {"soft-delete", "changelog"}) {
      String namespace = mode.replace("-", "_");
      pipeline.startSink(
          mode + "-sink",
          Map.of(
              "topics.regex",
              "md\\.modes\\..*",
              "commit.interval.ms",
              "1000",
              "iceberg.tables.namespace",
              namespace,
              "iceberg.tables.write-mode",
              mode));
    }
    pipeline.sql(
        "update modes.items set qty = qty * 10 where id % 2 = 0",
        "delete from modes.items where id % 5 = 0",
        "insert into modes.items values (5, 'item 5 again', 55)",
        "update modes.items set name = 'renamed' where id = 5");
    Map<Integer, String> live = postgres();

    Waits.until(
        Duration.ofSeconds(120),
        "soft-delete table",
        () -> liveSoftRows().equals(live),
        () -> live + "\n" + liveSoftRows());
    Set<Integer> markedDeleted = new HashSet<>();
    forEach(
        "soft_delete.modes_items",
        r -> {
          if (Boolean.TRUE.equals(r.getField("_floe_deleted"))) {
            markedDeleted.add((Integer) r.getField("id"));
            // REPLICA IDENTITY FULL: the deleted row keeps its last values
            assertEquals("item " + r.getField("id"), r.getField("name"));
          }
        });
    assertEquals(Set.of(10, 15, 20, 25, 30, 35, 40), markedDeleted);

    // 40 snapshot reads + 20 updates + 8 deletes + 1 insert + 1 update
    Waits.until(
        Duration.ofSeconds(120),
        "changelog",
        () -> changelogRows() == 70,
        () -> "" + changelogRows());
    assertEquals(live, lastStatePerKey());
  }

  private Map<Integer, String> postgres() throws Exception {
    Map<Integer, String> rows = new TreeMap<>();
    try (Connection c = pipeline.postgres();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select id, name, qty from modes.items")) {
      while (rs.next()) {
        rows.put(rs.getInt(1), rs.getString(2) + "/" + rs.getInt(3));
      }
    }
    return rows;
  }

  private Map<Integer, String> liveSoftRows() throws Exception {
    Map<Integer, String> rows = new TreeMap<>();
    forEach(
        "soft_delete.modes_items",
        r -> {
          if (!Boolean.TRUE.equals(r.getField("_floe_deleted"))) {
            rows.put((Integer) r.getField("id"), r.getField("name") + "/" + r.getField("qty"));
          }
        });
    return rows;
  }

  private int changelogRows() throws Exception {
    Set<String> positions = new HashSet<>();
    int[] count = {0};
    forEach(
        "changelog.modes_items",
        r -> {
          count[0]++;
          assertTrue(
              positions.add(
                  r.getField("_floe_kafka_partition") + "@" + r.getField("_floe_kafka_offset")),
              "a change written twice");
        });
    return count[0];
  }

  /** Replays the changelog in Kafka order: the state it ends in must be Postgres's. */
  private Map<Integer, String> lastStatePerKey() throws Exception {
    Map<Long, Record> byOffset = new TreeMap<>();
    forEach("changelog.modes_items", r -> byOffset.put((Long) r.getField("_floe_kafka_offset"), r));
    Map<Integer, String> state = new TreeMap<>();
    for (Record r : byOffset.values()) {
      Integer id = (Integer) r.getField("id");
      if ("d".equals(r.getField("_floe_op"))) {
        state.remove(id);
      } else {
        state.put(id, r.getField("name") + "/" + r.getField("qty"));
      }
    }
    return state;
  }

  private void forEach(String table, java.util.function.Consumer<Record> action) throws Exception {
    Table t;
    try {
      t = pipeline.table(table);
    } catch (org.apache.iceberg.exceptions.NoSuchTableException notYet) {
      return;
    }
    try (CloseableIterable<Record> records = IcebergGenerics.read(t).build()) {
      records.forEach(action);
    }
  }
}
