package dev.floe.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The record shapes besides the plain envelope: a Postgres TRUNCATE (Debezium's {@code t}) empties
 * the table in order with the changes around it, and rows flattened by Debezium's
 * ExtractNewRecordState on the sink ({@code __op}, {@code __deleted}, tombstones) apply like
 * envelopes.
 */
class EventShapesIT extends PipelineTestBase {
  private static final Duration CATCH_UP = Duration.ofSeconds(120);
  // 3,000 pairs: stored out of line
  private static final String GRID =
      "(select array_agg(array[g, g * 7919 % 1000]) from generate_series(1, 3000) g)";

  @BeforeAll
  static void startPipeline() throws Exception {
    pipeline = PipelineHarness.start();
    pipeline.sql(
        "create schema shapes",
        "create table shapes.logs (id int primary key, msg text)",
        "create table shapes.flat (id int primary key, v text, n int)",
        "insert into shapes.flat select g, 'v' || g, g from generate_series(1, 30) g",
        "create table shapes.lines (id int primary key, price numeric(10,2), qty int,"
            + " total numeric(12,2) generated always as (price * qty) stored, label text,"
            + " \"Shout Label\" text generated always as (upper(label)) stored)",
        "insert into shapes.lines (id, price, qty, label)"
            + " select g, g * 1.5, g, 'line ' || g from generate_series(1, 20) g",
        // types Debezium has no conversion for; the composite type exists before the source
        // starts (the connector reads the database's types then)
        "create type shapes.addr as (street text, zip int)",
        "create table shapes.odd (id int primary key, note text, addr shapes.addr,"
            + " addrs shapes.addr[], q tsquery, lsn pg_lsn, jp jsonpath, mr int4multirange,"
            + " b box, c circle, poly polygon, x xid, rc regclass, v int2vector, nm name,"
            + " monies money[], spans interval[], bs bit(5), vb varbit, bsa bit(3)[], flag bit(1),"
            + " pts point[], xs xml[], ttz timetz[], boxes box[], names name[])",
        "insert into shapes.odd values (1, 'snapshot', row('Main St, 1', 12345),"
            + " array[row('A', 1), null]::shapes.addr[], 'fat & cat', '16/B374D848', '$.a',"
            + " '{[1,3),[5,7)}', '((0,0),(1.5,1))', '<(0,0),2>', '((0,0),(1,1),(2,0))', '5',"
            + " 'shapes.odd', '1 2', 'first', array[1.5, 1234.5]::money[],"
            + " array['1 day', '2 hours']::interval[], B'00101', B'', '{101,010}', B'1',"
            + " '{\"(1,2)\",\"(3.5,-4)\"}', array['<a/>'::xml], '{10:15:30.5+02,23:59:59-11}',"
            + " '{(1,1),(0,0);(3,3),(2,2)}', '{abc,\"d e\"}')",
        // arrays declared with several dimensions (Postgres does not hold a value to them); the
        // large one stored out of line, for an update that leaves it alone
        "create table shapes.grids (id int primary key, note text, m int[][], n numeric[][],"
            + " t text[][], d float8[][], ts timestamptz[][], big int[][])",
        "insert into shapes.grids values (1, 'snapshot', '{{1,2},{3,4}}', '{{1.5,2},{NaN,NULL}}',"
            + " '{{a,\"b c\"},{NULL,d}}', '{{1.5,NaN},{-Infinity,-0}}',"
            + " '{{2024-01-01 00:00:00+00}}', "
            + GRID
            + "),"
            + " (2, 'one dimension', '{1,2}', '{1.5}', '{a}', '{1.5}', '{2024-01-01 00:00:00+00}',"
            + " '[0:1][1:1][1:1]={{{7}},{{8}}}')");
    pipeline.startSource(
        "shapes-source",
        Map.of(
            "topic.prefix", "shp",
            "schema.include.list", "shapes",
            "slot.name", "shp_slot",
            "publication.name", "shp_publication")); // truncates by default
  }

  @Test
  void aTruncateEmptiesTheTableBetweenTheChangesAroundIt() throws Exception {
    pipeline.startSink(
        "logs-sink", Map.of("topics.regex", "shp\\.shapes\\.logs", "commit.interval.ms", "1000"));
    pipeline.sql(
        "insert into shapes.logs select g, 'before ' || g from generate_series(1, 50) g",
        "update shapes.logs set msg = 'updated' where id < 10",
        "truncate shapes.logs",
        "insert into shapes.logs select g, 'after ' || g from generate_series(45, 60) g",
        "delete from shapes.logs where id = 50");
    TableSnapshot rows = pipeline.awaitSameRows("shapes.logs", "cdc.shapes_logs", "id", CATCH_UP);
    assertEquals(15, rows.rowsByKey.size());
  }

  /**
   * Postgres (before 18) replicates no generated column, while the snapshot reads them: rows
   * snapshotted would carry the value and rows changed after a null. The source leaves them out of
   * every event, so the Iceberg table has the other columns, all exact, and not these.
   */
  @Test
  void generatedColumnsAreLeftOutOfTheSnapshotAndTheWalAlike() throws Exception {
    pipeline.startSink(
        "lines-sink", Map.of("topics.regex", "shp\\.shapes\\.lines", "commit.interval.ms", "1000"));
    pipeline.sql(
        "update shapes.lines set qty = qty + 1 where id % 2 = 0",
        "insert into shapes.lines (id, price, qty, label) values (21, 9.99, 3, 'new')",
        "delete from shapes.lines where id = 5");
    pipeline.awaitSameColumns(
        "shapes.lines", "cdc.shapes_lines", "id", CATCH_UP, "id", "price", "qty", "label");
    List<String> columns =
        pipeline.table("cdc.shapes_lines").schema().columns().stream()
            .map(column -> column.name())
            .toList();
    assertEquals(List.of("id", "price", "qty", "label"), columns.subList(0, 4));
    assertFalse(columns.contains("total"), columns.toString());
    assertFalse(columns.contains("Shout Label"), columns.toString());
  }

  /**
   * Columns of types Debezium has no conversion for were left out of every event (composite types,
   * tsquery, pg_lsn, jsonpath, multiranges, geometric types, xid, regclass, money[] and
   * interval[]), arrived empty (int2vector) or null from the WAL (name). Floe carries them as their
   * Postgres text, alike on the snapshot and the WAL; geometric types as the driver writes them on
   * both.
   */
  @Test
  void typesDebeziumCannotConvertArriveAsTheirPostgresText() throws Exception {
    pipeline.startSink(
        "odd-sink", Map.of("topics.regex", "shp\\.shapes\\.odd", "commit.interval.ms", "1000"));
    pipeline.sql(
        "insert into shapes.odd select 2, 'wal', addr, addrs, q, lsn, jp, mr, b, c, poly, x, rc,"
            + " v, nm, monies, spans, bs, vb, bsa, flag, pts, xs, ttz, boxes, names"
            + " from shapes.odd where id = 1",
        "update shapes.odd set note = 'updated', nm = 'second' where id = 1");
    Map<String, String> expected = new java.util.LinkedHashMap<>();
    expected.put("addr", "(\"Main St, 1\",12345)");
    expected.put("addrs", "[(A,1), null]");
    expected.put("q", "'fat' & 'cat'");
    expected.put("lsn", "16/B374D848");
    expected.put("jp", "$.\"a\"");
    expected.put("mr", "{[1,3),[5,7)}");
    expected.put("b", "(1.5,1.0),(0.0,0.0)");
    expected.put("c", "<(0.0,0.0),2.0>");
    expected.put("poly", "((0.0,0.0),(1.0,1.0),(2.0,0.0))");
    expected.put("x", "5");
    expected.put("rc", "shapes.odd");
    expected.put("v", "1 2");
    expected.put("monies", "[$1.50, $1,234.50]");
    expected.put("spans", "[1 day, 02:00:00]");
    // Debezium's bytes dropped the length and the leading zeros: B'00101' and B'101' were one value
    expected.put("bs", "00101");
    expected.put("vb", "");
    expected.put("bsa", "[101, 010]");
    expected.put("flag", "true"); // bit(1): Debezium's boolean
    // left out of every event by Debezium; a timetz[] lost its fractions
    expected.put("pts", "[(1,2), (3.5,-4)]");
    expected.put("xs", "[<a/>]");
    expected.put("ttz", "[08:15:30.5Z, 10:59:59Z]");
    expected.put("boxes", "[(1,1),(0,0), (3,3),(2,2)]"); // Debezium: the bytes of the driver's text
    expected.put("names", "[abc, d e]");
    Waits.until(
        CATCH_UP,
        "cdc.shapes_odd holds both rows, the update applied",
        () -> {
          TableSnapshot rows = TableSnapshot.ofIceberg(pipeline.table("cdc.shapes_odd"), "id");
          return rows.rowsByKey.size() == 2
              && "updated".equals(rows.rowsByKey.get("1").get("note"));
        },
        () -> String.valueOf(TableSnapshot.ofIceberg(pipeline.table("cdc.shapes_odd"), "id")));
    TableSnapshot rows = TableSnapshot.ofIceberg(pipeline.table("cdc.shapes_odd"), "id");
    for (String id : List.of("1", "2")) {
      Map<String, String> row = rows.rowsByKey.get(id);
      expected.forEach((column, text) -> assertEquals(text, row.get(column), id + ": " + column));
    }
    assertEquals("second", rows.rowsByKey.get("1").get("nm"), "a name from the WAL");
    assertEquals("first", rows.rowsByKey.get("2").get("nm"));
  }

  /**
   * An array column declared with several dimensions arrived as a list of nulls, or as null with a
   * warning in the worker's log. Postgres does not hold such a column to one shape, so Floe carries
   * it as the text Postgres writes, whatever the value's shape: on the snapshot, the WAL, and as
   * the placeholder the sink fills when an update leaves a large one out.
   */
  @Test
  void arraysOfSeveralDimensionsArriveAsTheirPostgresText() throws Exception {
    pipeline.startSink(
        "grids-sink", Map.of("topics.regex", "shp\\.shapes\\.grids", "commit.interval.ms", "1000"));
    pipeline.sql(
        "insert into shapes.grids select 3, 'wal', m, n, t, d, ts, big from shapes.grids"
            + " where id = 1",
        "insert into shapes.grids select 4, 'wal', m, n, t, d, ts, big from shapes.grids"
            + " where id = 2",
        "update shapes.grids set note = 'updated' where id in (1, 3)");
    List<String> columns = List.of("m", "n", "t", "d", "ts", "big");
    Map<String, Map<String, String>> postgres = new java.util.HashMap<>();
    try (java.sql.Connection c = pipeline.postgres();
        java.sql.ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "select id, m::text, n::text, t::text, d::text, ts::text,"
                        + " big::text from shapes.grids")) {
      while (rs.next()) {
        Map<String, String> row = new java.util.HashMap<>();
        for (int i = 0; i < columns.size(); i++) {
          row.put(columns.get(i), rs.getString(i + 2));
        }
        postgres.put(rs.getString(1), row);
      }
    }
    assertEquals("{{1,2},{3,4}}", postgres.get("1").get("m"));
    assertEquals("{{1.5,NaN},{-Infinity,-0}}", postgres.get("1").get("d"));
    assertEquals("[0:1][1:1][1:1]={{{7}},{{8}}}", postgres.get("2").get("big"));
    Waits.until(
        CATCH_UP,
        "cdc.shapes_grids holds the four rows, the updates applied",
        () -> {
          TableSnapshot rows = TableSnapshot.ofIceberg(pipeline.table("cdc.shapes_grids"), "id");
          return rows.rowsByKey.size() == 4
              && "updated".equals(rows.rowsByKey.get("1").get("note"))
              && "updated".equals(rows.rowsByKey.get("3").get("note"));
        },
        () -> String.valueOf(TableSnapshot.ofIceberg(pipeline.table("cdc.shapes_grids"), "id")));
    org.apache.iceberg.Table table = pipeline.table("cdc.shapes_grids");
    for (String column : columns) {
      assertEquals(
          org.apache.iceberg.types.Types.StringType.get(),
          table.schema().findField(column).type(),
          column);
    }
    Map<Object, org.apache.iceberg.data.Record> iceberg = new java.util.HashMap<>();
    try (org.apache.iceberg.io.CloseableIterable<org.apache.iceberg.data.Record> rows =
        org.apache.iceberg.data.IcebergGenerics.read(table).build()) {
      rows.forEach(row -> iceberg.put(String.valueOf(row.getField("id")), row));
    }
    for (String id : List.of("1", "2", "3", "4")) {
      for (String column : columns) {
        assertEquals(
            postgres.get(id).get(column), iceberg.get(id).getField(column), id + ": " + column);
      }
    }
  }

  @Test
  void rowsFlattenedByExtractNewRecordStateApplyLikeEnvelopes() throws Exception {
    Map<String, String> sink = new HashMap<>();
    sink.put("topics.regex", "shp\\.shapes\\.flat");
    sink.put("commit.interval.ms", "1000");
    sink.put("transforms", "unwrap");
    sink.put("transforms.unwrap.type", "io.debezium.transforms.ExtractNewRecordState");
    sink.put("transforms.unwrap.add.fields", "op,table,schema,lsn,source.ts_ms");
    sink.put("transforms.unwrap.delete.tombstone.handling.mode", "rewrite-with-tombstone");
    pipeline.startSink("flat-sink", sink);
    pipeline.sql(
        "update shapes.flat set v = 'changed', n = n * 10 where id % 3 = 0",
        "delete from shapes.flat where id % 5 = 0",
        "update shapes.flat set id = id + 100 where id = 7",
        "insert into shapes.flat values (5, 'back', 0)");
    TableSnapshot rows = pipeline.awaitSameRows("shapes.flat", "cdc.shapes_flat", "id", CATCH_UP);
    assertEquals(25, rows.rowsByKey.size());
    assertEquals(
        3,
        pipeline.table("cdc.shapes_flat").schema().columns().size(),
        "Debezium's __ fields are not columns");
  }
}
