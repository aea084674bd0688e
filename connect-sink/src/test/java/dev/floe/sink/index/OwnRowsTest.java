package dev.floe.sink.index;

import static dev.floe.sink.event.ChangeEvents.parse;
import static dev.floe.sink.event.ChangeEvents.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.floe.sink.commit.CommitCycle;
import dev.floe.sink.commit.UpsertCycles;
import dev.floe.sink.maintain.MaintenanceRun;
import dev.floe.sink.maintain.MaintenanceSettings;
import dev.floe.sink.maintain.TableFiles;
import dev.floe.sink.schema.SchemaEvolver;
import dev.floe.sink.write.TableRows;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

/**
 * A task deletes the rows it wrote itself by position without reading the table for them, and stops
 * trusting where it wrote a row as soon as another commit may have moved or deleted it: a
 * compaction that rewrote the file, another task that took the key over.
 */
class OwnRowsTest {
  private static final TableIdentifier ITEMS = TableIdentifier.of("cdc", "public_items");
  private static final Schema KEY =
      new Schema(Types.NestedField.required(1, "id", Types.IntegerType.get()));
  private final InMemoryCatalog catalog = new InMemoryCatalog();
  private long offset;

  OwnRowsTest() {
    catalog.initialize("mem", Map.of());
  }

  @Test
  void aHotKeyIsDeletedByPositionFlushAfterFlush() throws Exception {
    CommitCycle task = task();
    for (int flush = 0; flush < 5; flush++) {
      apply(task, flush == 0 ? "c" : "u", 1, "v" + flush);
      apply(task, "c", 100 + flush, "other");
      task.commit();
    }
    Table table = catalog.loadTable(ITEMS);
    assertEquals(
        List.of("100|other", "101|other", "102|other", "103|other", "104|other", "1|v4"),
        TableRows.of(table, "id", "name"));
    TableFiles files = TableFiles.of(table, table.currentSnapshot());
    assertEquals(0, files.equalityDeleteFiles());
    assertEquals(4, files.positionDeleteFiles(), "one deletion vector per earlier flush's file");
  }

  @Test
  void aRowWhoseFileWasCompactedIsLookedForAgain() throws Exception {
    CommitCycle task = task();
    apply(task, "c", 1, "one");
    apply(task, "c", 2, "two");
    task.commit();
    apply(task, "c", 3, "three");
    task.commit(); // two small files
    Table table = catalog.loadTable(ITEMS);
    MaintenanceRun.of(table, everyTime()).run(System.currentTimeMillis()); // rewrites both

    apply(task, "u", 1, "uno");
    apply(task, "u", 3, "tres");
    task.commit();

    table.refresh();
    assertEquals(List.of("1|uno", "2|two", "3|tres"), TableRows.of(table, "id", "name"));
  }

  @Test
  void aKeyAnotherTaskTookOverIsLookedForAgain() throws Exception {
    CommitCycle first = task();
    CommitCycle second = task();
    apply(first, "c", 1, "first");
    first.commit();
    // the key's partition moved: the other task updates it, deleting the first task's row
    second.apply(parse(record("u", 1, "second", 1, 0, 500)));
    second.commit();
    // and back: the first task's last known row of key 1 is gone, the second's is the live one
    apply(first, "u", 1, "first-again");
    first.commit();

    Table table = catalog.loadTable(ITEMS);
    assertEquals(List.of("1|first-again"), TableRows.of(table, "id", "name"));
  }

  @Test
  void aKeyInsertedAndDeletedInOneFlushLeavesADeadRowNotAnEqualityDelete() throws Exception {
    CommitCycle task = task();
    apply(task, "c", 1, "one");
    task.commit();
    apply(task, "c", 2, "short-lived");
    apply(task, "d", 2, null);
    apply(task, "u", 1, "uno");
    task.commit();

    Table table = catalog.loadTable(ITEMS);
    assertEquals(List.of("1|uno"), TableRows.of(table, "id", "name"));
    TableFiles files = TableFiles.of(table, table.currentSnapshot());
    assertEquals(0, files.equalityDeleteFiles(), "the deleted key is a dead row");
    assertEquals(2, files.positionDeleteFiles(), "key 1's old row, key 2's dead row");
  }

  @Test
  void theKeysOfTheFlushesCommittedLastAreKeptWhenThereAreMoreThanItHolds() {
    OwnRows rows = new OwnRows(4);
    DataFile first = file("first.parquet");
    DataFile second = file("second.parquet");
    DataFile third = file("third.parquet");
    rows.committed(flush(first, 1, 2, 3));
    rows.committed(flush(second, 4, 2)); // 2 updated: its newer place answers
    assertEquals(4, rows.size(), "one of the first flush's entries made room");
    assertEquals(new KeyLocations.RowAt(second, 1), rows.of(key(2)));
    assertEquals(new KeyLocations.RowAt(second, 0), rows.of(key(4)));
    int keptOfFirst = 0;
    for (int id : new int[] {1, 3}) {
      KeyLocations.RowAt row = rows.of(key(id));
      if (row != null) {
        assertEquals(new KeyLocations.RowAt(first, id - 1), row);
        keptOfFirst++;
      }
    }
    assertTrue(keptOfFirst >= 1, "the first flush gave up at most one entry");

    rows.committed(flush(third, 5, 6, 7));
    assertEquals(4, rows.size());
    assertNull(rows.of(key(1)), "the oldest flush went first");
    assertNull(rows.of(key(3)));
    assertEquals(new KeyLocations.RowAt(third, 2), rows.of(key(7)));
  }

  @Test
  void aNewerFlushThatLostTheKeysPlaceHidesAnOlderPlace() {
    OwnRows rows = new OwnRows();
    DataFile first = file("first.parquet");
    DataFile second = file("second.parquet");
    rows.committed(flush(first, 1, 2));
    KeyMap<KeyLocations.RowAt> deleted = KeyMap.create(KEY.asStruct());
    deleted.put(key(1), null); // deleted in the second flush
    deleted.put(key(2), new KeyLocations.RowAt(second, 0));
    rows.committed(deleted);
    assertNull(rows.of(key(1)), "not the first flush's row, which is deleted");

    rows.removed(List.of(second.location())); // compacted away
    assertNull(rows.of(key(2)), "not the first flush's row of the key either");
    rows.forget(key(2));
    rows.forget(key(1));
    assertEquals(0, rows.size());
  }

  private static KeyMap<KeyLocations.RowAt> flush(DataFile file, int... ids) {
    KeyMap<KeyLocations.RowAt> flush = KeyMap.create(KEY.asStruct());
    for (int position = 0; position < ids.length; position++) {
      flush.put(key(ids[position]), new KeyLocations.RowAt(file, position));
    }
    return flush;
  }

  private static Record key(int id) {
    Record key = GenericRecord.create(KEY);
    key.setField("id", id);
    return key;
  }

  private static DataFile file(String name) {
    return DataFiles.builder(PartitionSpec.unpartitioned())
        .withPath("/warehouse/" + name)
        .withFileSizeInBytes(100)
        .withRecordCount(3)
        .withFormat(FileFormat.PARQUET)
        .build();
  }

  private void apply(CommitCycle task, String op, int id, String name) {
    long at = offset++;
    task.apply(parse(record(op, id, name, 0, at, 100 + at)));
  }

  private CommitCycle task() {
    return UpsertCycles.of(catalog, new SchemaEvolver(true), 3);
  }

  private static MaintenanceSettings everyTime() {
    return new MaintenanceSettings(
        true, 1_000, true, 1, 2, Long.MAX_VALUE, false, 60_000, 1, false, 50);
  }
}
