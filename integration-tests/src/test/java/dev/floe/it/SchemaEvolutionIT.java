package dev.floe.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real ALTER TABLE statements between row changes: added columns (nullable, with a default, NOT
 * NULL with a default), a widened type and a dropped column reach the Iceberg table before the rows
 * that need them, the rows match Postgres, and an older snapshot still reads its old rows with
 * their old columns. On a format v3 table, rows from before an ADD COLUMN read its DEFAULT.
 */
class SchemaEvolutionIT extends PipelineTestBase {
  private static final Duration CATCH_UP = Duration.ofSeconds(120);

  @BeforeAll
  static void startPipeline() throws Exception {
    pipeline = PipelineHarness.start();
  }

  @Test
  void ddlFlowsIntoIcebergWithoutStoppingThePipeline() throws Exception {
    pipeline.sql(
        "create schema evo",
        "create table evo.items (id int primary key, name text not null, qty int, tags int[])",
        "insert into evo.items select g, 'item ' || g, g, array[g] from generate_series(1, 20) g");
    pipeline.startSource(
        "evo-source",
        Map.of(
            "topic.prefix",
            "evo",
            "schema.include.list",
            "evo",
            "slot.name",
            "evo_slot",
            "publication.name",
            "evo_publication",
            "topic.creation.default.partitions",
            "3"));
    // two tasks write the table, and both meet each new shape: they evolve it side by side
    pipeline.startSink(
        "evo-sink",
        Map.of(
            "topics.regex", "evo\\.evo\\..*",
            "commit.interval.ms", "1000",
            "tasks.max", "2",
            // follow this rename in Iceberg; other renames are a drop and an add
            "iceberg.table.cdc.evo_items.column-renames", "note:remark"));
    assertSame();
    long beforeDdl = pipeline.table("cdc.evo_items").currentSnapshot().snapshotId();

    pipeline.sql(
        "alter table evo.items add column note text",
        "update evo.items set note = 'noted' where id <= 5",
        "alter table evo.items add column flag boolean not null default false",
        "insert into evo.items values (21, 'item 21', 21, '{21}', 'new', true)");
    assertSame("id", "name", "qty", "note");
    assertEquals(true, icebergRow(21).getField("flag"));
    // Postgres fills a default without a change to send: rows read null until their next change
    assertNull(icebergRow(6).getField("flag"));
    pipeline.sql("update evo.items set qty = qty");
    assertSame();

    pipeline.sql(
        "alter table evo.items alter column qty type bigint",
        "insert into evo.items values (22, 'big', 9000000000, '{22}', null, false)",
        "alter table evo.items alter column tags type bigint[]",
        "update evo.items set tags = array[9000000000, 1] where id = 2",
        "alter table evo.items rename column note to remark",
        "update evo.items set remark = 'renamed column' where id = 3",
        "alter table evo.items drop column name",
        "insert into evo.items (id, qty, remark, flag) values (23, 1, 'no name', true)",
        "update evo.items set remark = 'after drop' where id = 1");
    TableSnapshot rows = assertSame();
    assertEquals(0, rows.duplicateKeys);

    Table table = pipeline.table("cdc.evo_items");
    assertEquals(Types.LongType.get(), table.schema().findType("qty"));
    assertTrue(table.schema().findField("name").isOptional(), "the dropped column stays, optional");
    assertNull(icebergRow(23).getField("name"));
    assertNull(table.schema().findField("note"), "renamed in Iceberg, as configured");
    assertEquals("noted", icebergRow(4).getField("remark"), "the renamed column kept its values");
    assertEquals(Types.LongType.get(), table.schema().findType("tags.element"));

    // time travel: the snapshot from before the DDL reads its rows with their old columns
    Map<Integer, String> old = new TreeMap<>();
    try (CloseableIterable<Record> records =
        IcebergGenerics.read(table).useSnapshot(beforeDdl).build()) {
      for (Record r : records) {
        assertEquals(4, r.struct().fields().size(), r.struct().toString());
        old.put((Integer) r.getField("id"), r.getField("name") + "/" + r.getField("qty"));
      }
    }
    assertEquals(20, old.size());
    assertEquals("item 7/7", old.get(7));
  }

  /**
   * Renames, a swap of two columns' names and a column dropped and added again under its name, with
   * no rename configured: each row Postgres did not change since reads in Iceberg what it reads in
   * Postgres (the source numbers the columns, the sink matches them by number). Three partitions
   * and two sink tasks, so changes from before and after each DDL interleave.
   */
  @Test
  void renamedAndReAddedColumnsMatchPostgresWithoutConfiguration() throws Exception {
    pipeline.sql(
        "create schema evo4",
        "create table evo4.people (id int primary key, name text, email text, qty int,"
            + " note text)",
        "insert into evo4.people select g, 'name ' || g, 'p' || g || '@example.com', g,"
            + " 'note ' || g from generate_series(1, 40) g");
    pipeline.startSource(
        "evo4-source",
        Map.of(
            "topic.prefix", "evo4",
            "schema.include.list", "evo4",
            "slot.name", "evo4_slot",
            "publication.name", "evo4_publication",
            "topic.creation.default.partitions", "3"));
    pipeline.startSink(
        "evo4-sink",
        Map.of(
            "topics.regex", "evo4\\.evo4\\..*",
            "commit.interval.ms", "1000",
            "tasks.max", "2"));
    pipeline.awaitSameColumns("evo4.people", "cdc.evo4_people", "id", CATCH_UP);
    Table table = pipeline.table("cdc.evo4_people");
    int nameId = table.schema().findField("name").fieldId();

    pipeline.sql(
        "alter table evo4.people rename column name to full_name",
        "update evo4.people set full_name = 'renamed ' || id where id % 10 = 1",
        "alter table evo4.people drop column qty",
        "alter table evo4.people add column qty int",
        "update evo4.people set qty = 100 + id where id % 10 = 2",
        "alter table evo4.people rename column email to tmp",
        "alter table evo4.people rename column note to email",
        "alter table evo4.people rename column tmp to note",
        "update evo4.people set email = 'swapped ' || id where id % 10 = 3",
        "insert into evo4.people (id, full_name, note, email, qty)"
            + " values (41, 'new', 'n@example.com', 'new note', 41)",
        "delete from evo4.people where id = 5");
    TableSnapshot rows =
        pipeline.awaitSameColumns("evo4.people", "cdc.evo4_people", "id", CATCH_UP);
    assertEquals(0, rows.duplicateKeys);

    table = pipeline.table("cdc.evo4_people");
    assertEquals(nameId, table.schema().findField("full_name").fieldId(), "renamed, not added");
    assertNull(table.schema().findField("name"));
    assertTrue(
        table.schema().findField("qty__dropped_4") != null,
        "the dropped qty moved aside: " + table.schema());
  }

  /**
   * A captured table dropped and created again under its name while the pipeline runs (other
   * columns, some of the same keys): the source captures the new table and snapshots it, and the
   * sink empties the Iceberg table of the old table's rows when the new table's first change comes,
   * so it ends with exactly the new table's rows, as Postgres does.
   */
  @Test
  void aTableDroppedAndCreatedAgainKeepsNoneOfItsOldRows() throws Exception {
    pipeline.sql(
        "create schema evo5",
        "create table evo5.items (id int primary key, name text, qty int)",
        "insert into evo5.items select g, 'old ' || g, g from generate_series(1, 30) g");
    pipeline.startSource(
        "evo5-source",
        Map.of(
            "topic.prefix", "evo5",
            "schema.include.list", "evo5",
            "slot.name", "evo5_slot",
            "publication.name", "evo5_publication",
            "floe.new-tables.interval.ms", "1000"));
    pipeline.startSink(
        "evo5-sink", Map.of("topics.regex", "evo5\\.evo5\\..*", "commit.interval.ms", "1000"));
    pipeline.awaitSameColumns("evo5.items", "cdc.evo5_items", "id", CATCH_UP);

    pipeline.sql(
        "update evo5.items set qty = -1 where id = 30",
        "drop table evo5.items",
        "create table evo5.items (id int primary key, title text, qty int)",
        "insert into evo5.items select g, 'new ' || g, 100 + g from generate_series(1, 10) g",
        "insert into evo5.items select g, 'new ' || g, 100 + g from generate_series(31, 35) g");
    TableSnapshot rows = pipeline.awaitSameColumns("evo5.items", "cdc.evo5_items", "id", CATCH_UP);
    assertEquals(0, rows.duplicateKeys);
    pipeline.sql(
        "update evo5.items set title = 'changed' where id = 2",
        "delete from evo5.items where id = 3");
    pipeline.awaitSameColumns("evo5.items", "cdc.evo5_items", "id", CATCH_UP);
  }

  @Test
  void anIncompatibleTypeChangeGoesToANewColumnWhenAskedTo() throws Exception {
    pipeline.sql(
        "create schema evo2",
        "create table evo2.codes (id int primary key, code text)",
        "insert into evo2.codes select g, (10 * g)::text from generate_series(1, 5) g");
    pipeline.startSource(
        "evo2-source",
        Map.of(
            "topic.prefix", "evo2",
            "schema.include.list", "evo2",
            "slot.name", "evo2_slot",
            "publication.name", "evo2_publication"));
    pipeline.startSink(
        "evo2-sink",
        Map.of(
            "topics.regex", "evo2\\.evo2\\..*",
            "commit.interval.ms", "1000",
            "iceberg.tables.incompatible-type-change", "new-column"));
    Waits.until(CATCH_UP, "5 rows", () -> codes().size() == 5, () -> codes().toString());

    pipeline.sql(
        "alter table evo2.codes alter column code type int using code::int",
        "update evo2.codes set code = code + 1 where id <= 2",
        "insert into evo2.codes values (6, 60)");
    Map<Integer, String> expected =
        Map.of(1, "null/11", 2, "null/21", 3, "30/null", 4, "40/null", 5, "50/null", 6, "null/60");
    Waits.until(
        CATCH_UP, "rows of the new type", () -> codes().equals(expected), () -> codes().toString());
    Table table = pipeline.table("cdc.evo2_codes");
    assertEquals(Types.StringType.get(), table.schema().findType("code"), "the old column stays");
    assertEquals(Types.IntegerType.get(), table.schema().findType("code__int"));
  }

  @Test
  void onFormatV3RowsFromBeforeAnAddedColumnReadItsDefault() throws Exception {
    pipeline.sql(
        "create schema evo3",
        "create table evo3.items (id int primary key, name text)",
        "insert into evo3.items select g, 'item ' || g from generate_series(1, 3) g");
    pipeline.startSource(
        "evo3-source",
        Map.of(
            "topic.prefix", "evo3",
            "schema.include.list", "evo3",
            "slot.name", "evo3_slot",
            "publication.name", "evo3_publication"));
    pipeline.startSink(
        "evo3-sink",
        Map.of(
            "topics.regex", "evo3\\.evo3\\..*",
            "commit.interval.ms", "1000",
            "iceberg.tables.format-version", "3"));
    Waits.until(CATCH_UP, "3 rows", () -> added().size() == 3, () -> added().toString());

    // Postgres fills each existing row with the DEFAULT, and sends no change for them
    pipeline.sql(
        "alter table evo3.items add column qty int not null default 7",
        "alter table evo3.items add column flag boolean not null default false",
        "alter table evo3.items add column label text default 'new'",
        "alter table evo3.items add column price numeric(8,2) default 12.5",
        "alter table evo3.items add column due date default '2024-01-02'",
        "alter table evo3.items add column seen timestamptz not null default now()",
        "insert into evo3.items values (4, 'item 4', 9, true, 'set', 1.5, '2025-05-05',"
            + " '2025-05-05 00:00:00+00')");
    String before = "7/false/new/12.50/2024-01-02/null"; // now(): Debezium cannot see its value
    Map<Integer, String> expected =
        Map.of(
            1, before,
            2, before,
            3, before,
            4, "9/true/set/1.50/2025-05-05/2025-05-05T00:00Z");
    Waits.until(
        CATCH_UP, "the defaults in old rows", () -> added().equals(expected), () -> added() + "");
  }

  /** id to the columns evo3.items gained, as Iceberg reads them ("" before they exist). */
  private static Map<Integer, String> added() throws Exception {
    Map<Integer, String> rows = new TreeMap<>();
    Table table;
    try {
      table = pipeline.table("cdc.evo3_items");
    } catch (org.apache.iceberg.exceptions.NoSuchTableException notYet) {
      return rows;
    }
    java.util.List<String> columns =
        java.util.List.of("qty", "flag", "label", "price", "due", "seen");
    try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
      for (Record r : records) {
        java.util.List<String> values = new java.util.ArrayList<>();
        for (String column : columns) {
          if (table.schema().findField(column) != null) {
            values.add(String.valueOf(r.getField(column)));
          }
        }
        rows.put((Integer) r.getField("id"), String.join("/", values));
      }
    }
    return rows;
  }

  /** id to "code/code__int" as Iceberg reads them. */
  private static Map<Integer, String> codes() throws Exception {
    Map<Integer, String> rows = new TreeMap<>();
    Table table;
    try {
      table = pipeline.table("cdc.evo2_codes");
    } catch (org.apache.iceberg.exceptions.NoSuchTableException notYet) {
      return rows;
    }
    boolean split = table.schema().findField("code__int") != null;
    try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
      for (Record r : records) {
        rows.put(
            (Integer) r.getField("id"),
            r.getField("code") + "/" + (split ? r.getField("code__int") : null));
      }
    }
    return rows;
  }

  /** Waits until Iceberg holds Postgres's rows, in all of Postgres's columns or in {@code only}. */
  private static TableSnapshot assertSame(String... only) throws Exception {
    return pipeline.awaitSameColumns("evo.items", "cdc.evo_items", "id", CATCH_UP, only);
  }

  private static Record icebergRow(int id) throws Exception {
    try (CloseableIterable<Record> records =
        IcebergGenerics.read(pipeline.table("cdc.evo_items")).build()) {
      for (Record r : records) {
        if (r.getField("id").equals(id)) {
          return r;
        }
      }
    }
    throw new AssertionError("no row " + id);
  }
}
