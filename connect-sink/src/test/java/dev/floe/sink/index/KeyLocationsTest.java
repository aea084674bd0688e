package dev.floe.sink.index;

import static dev.floe.sink.event.ChangeEvents.parse;
import static dev.floe.sink.event.ChangeEvents.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.floe.sink.commit.CommitCycle;
import dev.floe.sink.commit.UpsertCycles;
import dev.floe.sink.fill.KeyFilter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.MetadataColumns;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.TypeUtil;
import org.junit.jupiter.api.Test;

/**
 * Finding where keys live reads only the key columns of the files that may hold them and returns,
 * for each wanted key, each live row: the right file and position, nothing for a row its deletion
 * vector removed, nothing for a key not wanted or not there.
 */
class KeyLocationsTest {
  private final InMemoryCatalog catalog = new InMemoryCatalog();
  private long offset;

  KeyLocationsTest() {
    catalog.initialize("mem", Map.of());
  }

  @Test
  void eachWantedKeyIsFoundAtItsLiveRowAndDeletedRowsAreNot() throws IOException {
    CommitCycle task = UpsertCycles.retrying(catalog, 3);
    for (int id = 1; id <= 50; id++) {
      task.apply(parse(record("c", id, "v" + id, offset++)));
    }
    task.commit();
    for (int id = 10; id < 20; id++) {
      task.apply(parse(record("u", id, "updated" + id, offset++)));
    }
    for (int id = 20; id < 25; id++) {
      task.apply(parse(record("d", id, null, offset++)));
    }
    task.commit();

    Table table = catalog.loadTable(TableIdentifier.of("cdc", "public_items"));
    Schema keySchema = keySchema(table);
    KeyLocations found = findIds(table, 60);

    Map<String, Map<Long, Integer>> idsByPosition = new HashMap<>();
    for (int id = 1; id <= 60; id++) {
      List<KeyLocations.RowAt> rows = found.of(key(keySchema, id));
      boolean live = id <= 50 && (id < 20 || id >= 25);
      assertEquals(live ? 1 : 0, rows.size(), "rows found of key " + id);
      for (KeyLocations.RowAt row : rows) {
        Map<Long, Integer> ids =
            idsByPosition.computeIfAbsent(row.file().location(), f -> idsAt(table, row));
        assertEquals(id, ids.get(row.position()), "the id at the position found for " + id);
      }
    }
    String first = found.of(key(keySchema, 1)).get(0).file().location();
    assertNotEquals(
        first,
        found.of(key(keySchema, 15)).get(0).file().location(),
        "an updated key lives in the second flush's file");
    assertEquals(first, found.of(key(keySchema, 30)).get(0).file().location());
  }

  @Test
  void aRowItsKeysEqualityDeleteRemovedIsNotFound() throws IOException {
    // no key index and no finding of rows: every key written is deleted by equality first
    CommitCycle task = UpsertCycles.byEquality(catalog);
    for (int id = 1; id <= 20; id++) {
      task.apply(parse(record("c", id, "v" + id, offset++)));
    }
    task.commit();
    for (int id = 5; id < 10; id++) {
      task.apply(parse(record("u", id, "updated" + id, offset++)));
    }
    task.commit();

    Table table = catalog.loadTable(TableIdentifier.of("cdc", "public_items"));
    Schema keySchema = keySchema(table);
    KeyLocations found = findIds(table, 20);
    String first = found.of(key(keySchema, 1)).get(0).file().location();
    for (int id = 1; id <= 20; id++) {
      List<KeyLocations.RowAt> rows = found.of(key(keySchema, id));
      assertEquals(1, rows.size(), "rows found of key " + id);
      boolean updated = id >= 5 && id < 10;
      assertEquals(
          !updated,
          rows.get(0).file().location().equals(first),
          "key " + id + ": the first file's row unless the equality delete removed it");
    }
  }

  private static Schema keySchema(Table table) {
    return TypeUtil.select(table.schema(), Set.of(table.schema().findField("id").fieldId()));
  }

  /** Where the live rows of ids 1 to {@code upTo} are in the table's current snapshot. */
  private static KeyLocations findIds(Table table, int upTo) {
    Schema keySchema = keySchema(table);
    List<Record> wanted = new ArrayList<>();
    for (int id = 1; id <= upTo; id++) {
      wanted.add(key(keySchema, id));
    }
    return KeyLocations.find(
        table, table.currentSnapshot(), keySchema, wanted, KeyFilter.of(keySchema, wanted));
  }

  private static Record key(Schema keySchema, int id) {
    Record key = GenericRecord.create(keySchema);
    key.setField("id", id);
    return key;
  }

  /** Every row of the data file, live or not: its position and id. */
  private static Map<Long, Integer> idsAt(Table table, KeyLocations.RowAt row) {
    Schema projection = TypeUtil.join(keySchema(table), new Schema(MetadataColumns.ROW_POSITION));
    Map<Long, Integer> ids = new HashMap<>();
    try (CloseableIterable<Record> rows =
        Parquet.read(table.io().newInputFile(row.file().location()))
            .project(projection)
            .createReaderFunc(s -> GenericParquetReaders.buildReader(projection, s))
            .build()) {
      rows.forEach(
          r -> ids.put((Long) r.getField(MetadataColumns.ROW_POSITION.name()), (Integer) r.get(0)));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return ids;
  }
}
