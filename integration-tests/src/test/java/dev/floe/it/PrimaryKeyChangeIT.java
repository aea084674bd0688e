package dev.floe.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real primary key change (ALTER TABLE ... DROP CONSTRAINT, ADD PRIMARY KEY) while two sink tasks
 * write the table: the Iceberg table takes the new key as its identifier fields, and inserts,
 * updates, deletes and key changes under the new key match Postgres row by row.
 */
class PrimaryKeyChangeIT extends PipelineTestBase {
  private static final Duration CATCH_UP = Duration.ofSeconds(120);

  @BeforeAll
  static void startPipeline() throws Exception {
    pipeline = PipelineHarness.start();
  }

  @Test
  void theTableFollowsANewPrimaryKey() throws Exception {
    pipeline.sql(
        "create schema pk",
        "create table pk.orders (id int primary key, region text not null, qty int)",
        "insert into pk.orders select g, 'eu', g from generate_series(1, 20) g");
    pipeline.startSource(
        "pk-source",
        Map.of(
            "topic.prefix", "pk",
            "schema.include.list", "pk",
            "slot.name", "pk_slot",
            "publication.name", "pk_publication",
            "topic.creation.default.partitions", "3"));
    pipeline.startSink(
        "pk-sink",
        Map.of("topics.regex", "pk\\.pk\\..*", "commit.interval.ms", "1000", "tasks.max", "2"));
    assertSame("id");
    assertEquals(Set.of("id"), pipeline.table("cdc.pk_orders").schema().identifierFieldNames());

    pipeline.sql(
        "alter table pk.orders drop constraint orders_pkey",
        "alter table pk.orders add primary key (id, region)",
        "insert into pk.orders select g, 'us', 100 + g from generate_series(1, 5) g",
        "update pk.orders set qty = -qty where region = 'us' and id <= 2",
        "delete from pk.orders where id = 3 and region = 'eu'",
        "update pk.orders set region = 'apac' where id = 7",
        "delete from pk.orders where id = 4 and region = 'us'");
    TableSnapshot rows = assertSame("id", "region");
    assertEquals(0, rows.duplicateKeys);
    assertEquals(23, rows.rowsByKey.size());
    assertEquals(
        Set.of("id", "region"), pipeline.table("cdc.pk_orders").schema().identifierFieldNames());
    assertHeaders();
  }

  /**
   * Floe's source turns Debezium's context headers off (extended.headers.enabled): no record
   * carries them, while the two halves of a key change still name each other's key, which the sink
   * needs when they land on different partitions.
   */
  private static void assertHeaders() throws Exception {
    List<TopicRecords.Entry> records =
        TopicRecords.readAll(pipeline.stack.kafka().bootstrapServers(), "pk.pk.orders");
    assertTrue(records.size() > 20, "the snapshot and the changes: " + records.size());
    List<String> names = records.stream().flatMap(r -> r.headers().stream()).distinct().toList();
    assertTrue(
        names.stream().noneMatch(name -> name.startsWith("__debezium.context.")),
        "no context headers: " + names);
    assertTrue(names.contains("__debezium.oldkey"), "the key change's new row: " + names);
    assertTrue(names.contains("__debezium.newkey"), "the key change's delete: " + names);
  }

  /** Waits until Iceberg holds exactly Postgres's rows, matched on {@code key}. */
  private static TableSnapshot assertSame(String... key) throws Exception {
    TableSnapshot[] last = new TableSnapshot[2];
    Waits.until(
        CATCH_UP,
        "pk.orders in Iceberg",
        () -> {
          try (Connection c = pipeline.postgres()) {
            last[0] = TableSnapshot.ofPostgres(c, "pk.orders", key);
          }
          last[1] = TableSnapshot.ofIceberg(pipeline.table("cdc.pk_orders"), key);
          return last[0].equals(last[1].project(last[0].columns()));
        },
        () -> "postgres " + last[0] + "\n iceberg " + last[1]);
    return last[1];
  }
}
