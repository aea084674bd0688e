package dev.floe.sink.commit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.floe.sink.event.ChangeEvent;
import dev.floe.sink.event.ChangeEventParser;
import dev.floe.sink.schema.ColumnNumbering;
import dev.floe.sink.schema.SchemaEvolver;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

/**
 * Columns matched by the Postgres column numbers Floe's source sends ({@code floe.attnums}): a
 * rename keeps the column's values, a column dropped and added again under its name is a new
 * column, and a late change from before a rename lands in the renamed column.
 */
class ColumnNumbersTest {
  private final InMemoryCatalog catalog = new InMemoryCatalog();
  private long offset;
  private CommitCycle task;

  private CommitCycle task() {
    catalog.initialize("mem", Map.of());
    return UpsertCycles.of(catalog, new SchemaEvolver(true));
  }

  /**
   * An upsert at {@code lsn} (negative: none) of a row of text columns, given as name, number (0:
   * unknown; null: no header at all), value; the first column is the int key.
   */
  private ChangeEvent upsert(long lsn, int id, Object... columns) {
    return upsertFrom("db", 7, lsn, id, columns);
  }

  /** As {@link #upsert}, from database {@code db}, table (oid) {@code relation}. */
  private ChangeEvent upsertFrom(String db, long relation, long lsn, int id, Object... columns) {
    return upsertAt(db, relation, lsn, lsn * 1000, id, columns);
  }

  /** As {@link #upsertFrom}, committed at {@code commitMs}. */
  private ChangeEvent upsertAt(
      String db, long relation, long lsn, long commitMs, int id, Object... columns) {
    String keyName = (String) columns[0];
    SchemaBuilder row = SchemaBuilder.struct().name("row").optional();
    row.field(keyName, Schema.INT32_SCHEMA);
    for (int i = 3; i < columns.length; i += 3) {
      row.field((String) columns[i], Schema.OPTIONAL_STRING_SCHEMA);
    }
    Schema rowSchema = row.build();
    Struct after = new Struct(rowSchema).put(keyName, id);
    StringJoiner numbers = new StringJoiner(",", "#" + relation + ":", "");
    for (int i = 0; i < columns.length; i += 3) {
      if (i > 0) {
        after.put((String) columns[i], columns[i + 2]);
      }
      numbers.add(String.valueOf(columns[i + 1]));
    }
    Schema source =
        SchemaBuilder.struct()
            .field("db", Schema.STRING_SCHEMA)
            .field("ts_ms", Schema.INT64_SCHEMA)
            .field("lsn", Schema.OPTIONAL_INT64_SCHEMA)
            .build();
    Schema envelope =
        SchemaBuilder.struct()
            .field("after", rowSchema)
            .field("source", source)
            .field("op", Schema.STRING_SCHEMA)
            .build();
    Struct value =
        new Struct(envelope)
            .put("after", after)
            .put(
                "source",
                new Struct(source)
                    .put("db", db)
                    .put("ts_ms", commitMs)
                    .put("lsn", lsn < 0 ? null : lsn))
            .put("op", "u");
    Schema key = SchemaBuilder.struct().field(keyName, Schema.INT32_SCHEMA).build();
    SinkRecord record =
        new SinkRecord(
            "t.public.items", 0, key, new Struct(key).put(keyName, id), envelope, value, offset++);
    if (columns[1] != null) {
      record.headers().addString(ChangeEvent.COLUMN_NUMBERS, numbers.toString());
    }
    return new ChangeEventParser().parse(record);
  }

  private void apply(ChangeEvent... events) {
    for (ChangeEvent event : events) {
      task.apply(event);
    }
    task.commit();
  }

  @Test
  void aRenamedColumnKeepsItsValuesUnderItsNewName() throws Exception {
    task = task();
    apply(
        upsert(10, 1, "id", 1, null, "note", 2, "a"), upsert(11, 2, "id", 1, null, "note", 2, "b"));
    int fieldId = table().schema().findField("note").fieldId();

    apply(upsert(20, 3, "id", 1, null, "remark", 2, "c"));
    assertNull(table().schema().findField("note"));
    assertEquals(fieldId, table().schema().findField("remark").fieldId(), "the same column");
    assertEquals(List.of("1|a", "2|b", "3|c"), rows("id", "remark"));

    // a change from before the rename, late from another partition: into the renamed column
    apply(upsert(12, 4, "id", 1, null, "note", 2, "late"));
    assertNull(table().schema().findField("note"), "not renamed back, not added");
    assertEquals(List.of("1|a", "2|b", "3|c", "4|late"), rows("id", "remark"));

    // renamed back, later: the name follows, the values stay
    apply(upsert(30, 5, "id", 1, null, "note", 2, "back"));
    assertEquals(fieldId, table().schema().findField("note").fieldId());
    assertEquals(List.of("1|a", "2|b", "3|c", "4|late", "5|back"), rows("id", "note"));
  }

  @Test
  void aColumnDroppedAndAddedAgainUnderItsNameIsANewColumn() throws Exception {
    task = task();
    apply(
        upsert(10, 1, "id", 1, null, "qty", 2, "old 1"),
        upsert(11, 2, "id", 1, null, "qty", 2, "old 2"));
    int oldId = table().schema().findField("qty").fieldId();

    apply(upsert(20, 3, "id", 1, null, "qty", 3, "new 3"));
    assertNotEquals(oldId, table().schema().findField("qty").fieldId());
    assertEquals(oldId, table().schema().findField("qty__dropped_2").fieldId(), "moved aside");
    // Postgres reads NULL in the rows from before the ADD COLUMN, and so does Iceberg
    assertEquals(List.of("1|null", "2|null", "3|new 3"), rows("id", "qty"));
    assertEquals(List.of("1|old 1", "2|old 2", "3|null"), rows("id", "qty__dropped_2"));

    // a late change from before the drop goes to the dropped column
    apply(upsert(12, 2, "id", 1, null, "qty", 2, "late 2"));
    assertEquals(List.of("1|null", "2|null", "3|new 3"), rows("id", "qty"));
  }

  @Test
  void twoColumnsSwappingNamesKeepTheirValuesAndTheKeyStays() throws Exception {
    task = task();
    apply(upsert(10, 1, "id", 1, null, "a", 2, "first", "b", 3, "second"));
    apply(upsert(20, 2, "id", 1, null, "a", 3, "2nd", "b", 2, "1st"));
    assertEquals(List.of("1|second|first", "2|2nd|1st"), rows("id", "a", "b"));
    assertEquals(
        List.of("id"),
        table().schema().identifierFieldNames().stream().toList(),
        "the key stays on id");
  }

  @Test
  void aRenamedKeyColumnStaysTheKey() throws Exception {
    task = task();
    apply(upsert(10, 1, "id", 1, null, "name", 2, "a"));
    apply(
        upsert(20, 1, "item_id", 1, null, "name", 2, "b"),
        upsert(21, 2, "item_id", 1, null, "name", 2, "c"));
    assertEquals(List.of("1|b", "2|c"), rows("item_id", "name"));
    assertEquals(List.of("item_id"), table().schema().identifierFieldNames().stream().toList());
  }

  @Test
  void aChangeFromBeforeAKeyColumnsRenameIsNotAKeyChange() throws Exception {
    task = task();
    apply(
        upsert(10, 1, "id", 1, null, "name", 2, "a"), upsert(11, 2, "id", 1, null, "name", 2, "b"));
    apply(upsert(20, 1, "item_id", 1, null, "name", 2, "a2"));
    // late, from another partition: keyed by id, the key column's name before the rename
    apply(
        upsert(12, 2, "id", 1, null, "name", 2, "b2"),
        upsert(13, 3, "id", 1, null, "name", 2, "c"));
    assertEquals(List.of("1|a2", "2|b2", "3|c"), rows("item_id", "name"));
    assertEquals(List.of("item_id"), table().schema().identifierFieldNames().stream().toList());
    assertNull(table().properties().get(dev.floe.sink.schema.TableKey.COLUMNS), "no key change");
  }

  @Test
  void aTableTwoSourcesWriteIsMatchedByName() throws Exception {
    // the same table in two databases (shards), one with a column dropped once: other numbers
    task = task();
    apply(upsertFrom("a", 7, 10, 1, "id", 1, null, "name", 2, "from a"));
    assertEquals("a.null.null", table().properties().get(ColumnNumbering.SOURCE_PROPERTY));
    apply(upsertFrom("b", 7, 10, 2, "id", 1, null, "name", 3, "from b"));
    assertEquals("*", table().properties().get(ColumnNumbering.SOURCE_PROPERTY));
    apply(upsertFrom("a", 7, 20, 3, "id", 1, null, "name", 2, "a again"));
    assertEquals(List.of("id", "name"), columns(), "no column moved aside or renamed");
    assertEquals(List.of("1|from a", "2|from b", "3|a again"), rows("id", "name"));
  }

  @Test
  void aTableCreatedAgainUnderItsNameNumbersItsColumnsAfresh() throws Exception {
    task = task();
    apply(upsertFrom("db", 7, 10, 1, "id", 1, null, "name", 2, "old"));
    // dropped and created again: its rows went with it, and its second column is another one
    apply(upsertFrom("db", 8, 20, 2, "id", 1, null, "title", 2, "new"));
    assertEquals(List.of("id", "name", "title"), columns(), "no rename of name to title");
    assertEquals("8@20@20000", table().properties().get(ColumnNumbering.RELATION_PROPERTY));
    assertEquals(List.of("2|null|new"), rows("id", "name", "title"));
    // a late change of the dropped table (another partition): gone with it
    apply(upsertFrom("db", 7, 11, 3, "id", 1, null, "name", 2, "late"));
    assertEquals(List.of("id", "name", "title"), columns());
    assertEquals(List.of("2|null|new"), rows("id", "name", "title"));
    // the new table's renames are followed
    apply(upsertFrom("db", 8, 30, 4, "id", 1, null, "heading", 2, "renamed"));
    assertEquals(List.of("id", "name", "heading"), columns());

    // the database restored on another server: new oids, lower LSNs, a later clock
    apply(upsertAt("db", 9, 5, 99_000, 5, "id", 1, null, "heading", 2, "restored"));
    assertEquals(List.of("5|restored"), rows("id", "heading"), "replaced, not skipped");
  }

  @Test
  void aTableWrittenWithoutNumbersTakesThemByName() throws Exception {
    task = task();
    apply(upsert(10, 1, "id", null, null, "note", null, "a"));
    assertNull(table().properties().get(ColumnNumbering.PROPERTY));
    int schemaId = table().schema().schemaId();

    apply(upsert(20, 2, "id", 1, null, "note", 2, "b"));
    assertEquals(schemaId, table().schema().schemaId(), "no schema change");
    assertNotNull(table().properties().get(ColumnNumbering.PROPERTY));
    apply(upsert(30, 3, "id", 1, null, "remark", 2, "c"));
    assertEquals(List.of("1|a", "2|b", "3|c"), rows("id", "remark"));
  }

  @Test
  void withoutNumbersARenameIsStillADropAndAnAdd() throws Exception {
    task = task();
    apply(upsert(10, 1, "id", null, null, "note", null, "a"));
    apply(upsert(20, 2, "id", null, null, "remark", null, "b"));
    assertEquals(List.of("1|a|null", "2|null|b"), rows("id", "note", "remark"));
  }

  @Test
  void aChangeWithoutAnLsnCountsAsTheNewest() throws Exception {
    task = task();
    apply(upsert(10, 1, "id", 1, null, "note", 2, "a"));
    apply(upsert(-1, 2, "id", 1, null, "remark", 2, "b"));
    assertEquals(List.of("1|a", "2|b"), rows("id", "remark"));
  }

  private List<String> columns() {
    return table().schema().columns().stream()
        .map(org.apache.iceberg.types.Types.NestedField::name)
        .toList();
  }

  private Table table() {
    return catalog.loadTable(TableIdentifier.of("cdc", "public_items"));
  }

  private List<String> rows(String... columns) throws Exception {
    return dev.floe.sink.write.TableRows.of(table(), columns);
  }
}
