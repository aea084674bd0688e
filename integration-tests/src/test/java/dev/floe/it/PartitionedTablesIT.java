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
 * keep no copy behind; a partitioned Postgres table arrives as one stream under its root's name
 * (Floe's default {@code publish.via.partition.root}) and lands in one Iceberg table, rows moving
 * between its partitions included, and so do partitions created or attached while it streams (the
 * rows an attached table already held through a filtered incremental snapshot, as documented). A
 * table partitioned by time in Postgres, its time column in its primary key, arrives exact in an
 * Iceberg table partitioned by month: keys with a timestamp fold, delete and move.
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
        "create table part.events_b partition of part.events for values in ('b')",
        // partitioned by time, as most are: the partition column is part of the primary key
        "create table part.readings (id bigint, taken_at timestamptz, v text,"
            + " primary key (id, taken_at)) partition by range (taken_at)",
        "create table part.readings_h1 partition of part.readings"
            + " for values from ('2024-01-01 00:00+00') to ('2024-07-01 00:00+00')",
        "create table part.readings_rest partition of part.readings default");
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
    pipeline.sql(
        "insert into part.readings select g, timestamptz '2024-01-01 00:00+00' + g * interval"
            + " '13 hours 7 minutes 3.25 seconds', 'r' || g from generate_series(1, 400) g");
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
            // the root only: its partitions' changes arrive under its name
            "table.exclude.list",
            "part\\.(events|readings)_.*"));
    Map<String, String> sink = new HashMap<>();
    sink.put("topics.regex", "pt\\.part\\..*");
    sink.put("commit.interval.ms", "1000");
    sink.put("iceberg.table.cdc.part_orders.partition-by", "region, day(created_at)");
    sink.put("iceberg.table.cdc.part_orders_full.partition-by", "bucket(id, 4), region");
    sink.put("iceberg.table.cdc.part_readings.partition-by", "month(taken_at)");
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
      int reading = 1 + random.nextInt(400);
      pipeline.sql(
          // changes of one key in one flush, a delete, and a row moved to the next partition
          // (a new key: its time is in the key)
          "update part.readings set v = 'first " + round + "' where id = " + reading,
          "update part.readings set v = 'second " + round + "' where id = " + reading,
          "delete from part.readings where id = " + (1 + random.nextInt(400)),
          "update part.readings set taken_at = taken_at + interval '120 days' where id = "
              + (1 + random.nextInt(400)));
    }

    // a partition created while streaming, and a table with rows attached as one
    pipeline.sql(
        "create table part.events_c partition of part.events for values in ('c')",
        "insert into part.events select g, 'c', 'c' || g from generate_series(200, 240) g",
        "create table part.events_d (id bigint not null, kind text not null, body text)",
        "insert into part.events_d select g, 'd', 'held' || g from generate_series(300, 330) g",
        "alter table part.events_d add primary key (id, kind)",
        "alter table part.events attach partition part.events_d for values in ('d')",
        "update part.events set body = 'moved to c' , kind = 'c' where id = 301",
        "update part.events set kind = 'd' where id = 2",
        // the attached table's rows were never in the WAL: a filtered incremental snapshot of the
        // root brings them (docs/source-operations.md)
        "insert into floe.floe_signal values ('attach-d', 'execute-snapshot', '{\"data-collections\":"
            + " [\"part.events\"], \"type\": \"incremental\", \"additional-conditions\":"
            + " [{\"data-collection\": \"part.events\", \"filter\": \"kind = ''d''\"}]}')");

    for (String table : new String[] {"orders", "orders_full"}) {
      TableSnapshot rows =
          pipeline.awaitSameRows("part." + table, "cdc.part_" + table, "id", CATCH_UP);
      assertEquals(0, rows.duplicateKeys);
      assertTrue(pipeline.table("cdc.part_" + table).spec().isPartitioned());
    }
    TableSnapshot readings =
        pipeline.awaitSameRowsByKeys(
            "part.readings", "cdc.part_readings", new String[] {"id", "taken_at"}, CATCH_UP);
    assertEquals(0, readings.duplicateKeys);
    assertTrue(readings.rowsByKey.size() > 350, "rows left to compare");
    TableSnapshot events =
        pipeline.awaitSameRowsByKeys(
            "part.events", "cdc.part_events", new String[] {"id", "kind"}, CATCH_UP);
    assertEquals(0, events.duplicateKeys);
    assertTrue(
        events.rowsByKey.size() > 100, "rows of every partition: " + events.rowsByKey.size());
    String kafka = pipeline.stack.kafka().bootstrapServers();
    for (String leaf : new String[] {"a", "b", "c", "d"}) {
      assertEquals(0, TopicRecords.count(kafka, "pt.part.events_" + leaf), "no topic per leaf");
    }
  }
}
