package dev.floe.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Partitions on both sides. Iceberg tables partitioned on non-key columns receive updates that move
 * rows between partitions, with REPLICA IDENTITY DEFAULT (key-only before-images) and FULL, and
 * keep no copy behind; a partitioned Postgres table, whose leaf partitions Debezium sends as
 * separate topics, lands in one Iceberg table through a route regex, rows moving between its
 * partitions included.
 */
class PartitionedTablesIT extends PipelineTestBase {
  private static final Duration CATCH_UP = Duration.ofSeconds(120);

  @BeforeAll
  static void startPipeline() throws Exception {
    pipeline = PipelineHarness.start();
  }

  @Test
  void rowsMovingBetweenPartitionsLeaveNoCopyBehind() throws Exception {
    String orders =
        " (id bigint primary key, region text not null, amount numeric(10,2), created_at timestamptz)";
    pipeline.sql(
        "create schema part",
        "create table part.orders" + orders,
        "create table part.orders_full" + orders,
        "alter table part.orders_full replica identity full",
        "create table part.events (id bigint, kind text, body text, primary key (id, kind))"
            + " partition by list (kind)",
        "create table part.events_a partition of part.events for values in ('a')",
        "create table part.events_b partition of part.events for values in ('b')");
    for (String table : new String[] {"part.orders", "part.orders_full"}) {
      pipeline.sql(
          "insert into "
              + table
              + " select g, (array['eu','us','apac'])[1 + g % 3], g * 1.5,"
              + " timestamptz '2024-01-01' + g * interval '7 hours' from generate_series(1, 300) g");
    }
    pipeline.sql(
        "insert into part.events select g, case when g % 2 = 0 then 'a' else 'b' end, 'e' || g"
            + " from generate_series(1, 100) g");
    pipeline.startSource(
        "part-source",
        Map.of(
            "topic.prefix",
            "pt",
            "schema.include.list",
            "part",
            "slot.name",
            "pt_slot",
            "publication.name",
            "pt_publication",
            // the leaves only: the root would send every row again on an unordered topic
            "table.exclude.list",
            "part\\.events"));
    Map<String, String> sink = new HashMap<>();
    sink.put("topics.regex", "pt\\.part\\..*");
    sink.put("commit.interval.ms", "1000");
    sink.put("iceberg.tables.route-regex", "part\\.events_[ab]");
    sink.put("iceberg.tables.route-replacement", "part_events");
    sink.put("iceberg.table.cdc.part_orders.partition-by", "region, day(created_at)");
    sink.put("iceberg.table.cdc.part_orders_full.partition-by", "bucket(id, 4), region");
    pipeline.startSink("part-sink", sink);

    Random random = new Random(42);
    for (int round = 0; round < 20; round++) {
      for (String table : new String[] {"part.orders", "part.orders_full"}) {
        int id = 1 + random.nextInt(300);
        pipeline.sql(
            "update " + table + " set region = 'moved" + round + "' where id = " + id,
            "update "
                + table
                + " set created_at = created_at + interval '3 days' where id % 17 = "
                + (round % 17),
            "delete from " + table + " where id = " + (1 + random.nextInt(300)),
            "insert into "
                + table
                + " values ("
                + (1000 + round)
                + ", 'new', 1, now()) on conflict do nothing");
      }
      pipeline.sql(
          "update part.events set kind = case kind when 'a' then 'b' else 'a' end where id = "
              + (1 + random.nextInt(100)),
          "delete from part.events where id = " + (1 + random.nextInt(100)));
    }

    for (String table : new String[] {"orders", "orders_full"}) {
      TableSnapshot rows =
          pipeline.awaitSameRows("part." + table, "cdc.part_" + table, "id", CATCH_UP);
      assertEquals(0, rows.duplicateKeys);
      assertTrue(pipeline.table("cdc.part_" + table).spec().isPartitioned());
    }
    TableSnapshot events =
        pipeline.awaitSameRowsByKeys(
            "part.events", "cdc.part_events", new String[] {"id", "kind"}, CATCH_UP);
    assertEquals(0, events.duplicateKeys);
  }
}
