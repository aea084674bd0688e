package dev.floe.sink.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

/**
 * The places of every row a task wrote, for a key of one whole-number column: exactly what a plain
 * map would say through puts, deletes, forgotten keys and compacted files, past the flushes {@link
 * OwnRows} keeps, and within the key index budget.
 */
class NumberKeyRowsTest {
  private static final Schema KEY =
      new Schema(Types.NestedField.required(1, "id", Types.LongType.get()));

  @Test
  void itSaysWhatAMapWouldThroughUpdatesDeletesForgetsAndCompactions() {
    NumberKeyRows rows = new NumberKeyRows(new KeyIndexes(true));
    Map<Long, KeyLocations.RowAt> expected = new HashMap<>();
    List<DataFile> files = new ArrayList<>();
    Random random = new Random(42);
    for (int flush = 0; flush < 60; flush++) {
      DataFile file = file("flush-" + flush);
      files.add(file);
      KeyMap<KeyLocations.RowAt> committed = KeyMap.create(KEY.asStruct());
      for (int position = 0; position < 2_000; position++) {
        // keys from a small range collide in the slots, and are updated, deleted, forgotten
        // half of them a multiple of 64: they share the first slot of their runs
        long id = (random.nextInt(30_000) - 10_000L) * (random.nextBoolean() ? 1 : 64);
        KeyLocations.RowAt at =
            random.nextInt(10) == 0 ? null : new KeyLocations.RowAt(file, position);
        committed.put(key(id), at);
      }
      rows.committed(committed);
      committed.forEach((key, at) -> expected.put((Long) key.get(0, Long.class), at));
      expected.values().removeIf(at -> at == null);
      for (int i = 0; i < 100; i++) {
        long id = (random.nextInt(30_000) - 10_000L) * (random.nextBoolean() ? 1 : 64);
        rows.forget(key(id));
        expected.remove(id);
      }
      if (flush % 7 == 6) { // a compaction removed two earlier files
        List<String> gone =
            List.of(files.get(flush - 3).location(), files.get(flush - 5).location());
        rows.removed(gone);
        expected.values().removeIf(at -> gone.contains(at.file().location()));
      }
      assertEquals(expected.size(), rows.size(), "after flush " + flush);
    }
    java.util.Set<Long> ids = new java.util.HashSet<>(expected.keySet());
    for (long id = -10_000; id < 20_000; id++) {
      ids.add(id);
      ids.add(id * 64);
    }
    for (long id : ids) {
      KeyLocations.RowAt want = expected.get(id);
      KeyLocations.RowAt got = rows.of(key(id));
      if (want == null) {
        assertNull(got, "key " + id);
      } else {
        assertNotNull(got, "key " + id);
        assertEquals(want.file().location(), got.file().location(), "key " + id);
        assertEquals(want.position(), got.position(), "key " + id);
      }
    }
  }

  @Test
  void itHoldsEveryRowOfAFlushAfterFlushesBeyondWhatOwnRowsKeeps() {
    KeyIndex index = new KeyIndex(KEY, new KeyIndexes(true));
    int flushes = 3;
    int perFlush = OwnRows.MAX_ROWS / 2;
    for (int flush = 0; flush < flushes; flush++) {
      DataFile file = file("flush-" + flush);
      KeyMap<KeyLocations.RowAt> committed = KeyMap.create(KEY.asStruct());
      for (int position = 0; position < perFlush; position++) {
        committed.put(
            key((long) flush * perFlush + position), new KeyLocations.RowAt(file, position));
      }
      index.ownRowsCommitted(committed, List.of());
    }
    KeyLocations.RowAt first = index.ownRow(key(17));
    assertNotNull(first, "a key of the first flush, " + (flushes * perFlush) + " keys ago");
    assertEquals("/warehouse/flush-0.parquet", first.file().location());
    assertEquals(17, first.position());
    assertTrue(index.bytes() > 16L * flushes * perFlush, "its slots count in the index's memory");
  }

  @Test
  void overItsShareOfTheBudgetItForgetsAllAndFillsAgain() {
    // room for the smallest table of slots only: a quarter of a MiB
    KeyIndexes budget = new KeyIndexes(true, 2L * 16 * NumberKeyRows.MIN_SLOTS);
    NumberKeyRows rows = new NumberKeyRows(budget);
    DataFile file = file("one");
    int fits = NumberKeyRows.MIN_SLOTS * 3 / 4;
    rows.committed(flush(file, 0, fits));
    assertEquals(fits, rows.size());
    rows.committed(flush(file, fits, 10));
    assertEquals(10, rows.size(), "the earlier keys forgotten, the new ones held");
    assertNull(rows.of(key(0)));
    assertEquals(fits + 9, rows.of(key(fits + 9)).position());
    assertEquals(16L * NumberKeyRows.MIN_SLOTS, rows.bytes());
  }

  @Test
  void aReadOfTheTablePlacesKeysFoundOnceAndNoneFoundTwiceEvenWhenFull() {
    KeyIndexes budget = new KeyIndexes(true, 2L * 16 * NumberKeyRows.MIN_SLOTS);
    NumberKeyRows rows = new NumberKeyRows(budget);
    DataFile one = file("one");
    DataFile two = file("two");
    int fits = NumberKeyRows.MIN_SLOTS * 3 / 4;
    rows.expect(fits);
    for (int id = 0; id < fits; id++) {
      rows.found(key(id), one, id);
    }
    rows.found(key(5), two, 0); // a second live row of 5, and a third
    rows.found(key(5), two, 1);
    rows.found(key(fits), two, 2); // no room for these two: some keys stay without a place
    rows.found(key(fits + 1), two, 3);
    rows.found(key(7), two, 4); // 7 found twice too
    rows.filled();

    assertNull(rows.of(key(5)));
    assertNull(rows.of(key(7)));
    int placed = 0;
    for (int id = 0; id < fits + 2; id++) {
      KeyLocations.RowAt at = rows.of(key(id));
      if (at != null) {
        assertTrue(id != 5 && id != 7, "a key found twice placed: " + id);
        assertEquals((id < fits ? one : two).location(), at.file().location(), "file of " + id);
        assertEquals(id < fits ? id : id - fits + 2, at.position(), "place of " + id);
        placed++;
      }
    }
    assertTrue(placed >= fits - 4 && rows.size() <= fits, placed + " placed, " + rows.size());
    assertFalse(rows.holdsAll(), "it was never asked to");
    rows.committed(flush(two, 5, 1));
    assertEquals(5, rows.of(key(5)).position(), "after the read, a flush's row is placed");
  }

  @Test
  void aReadOfMoreRowsThanAChunkSweepsTheTableInSlotOrderAndMissesNoSecondRow() {
    NumberKeyRows rows = new NumberKeyRows(new KeyIndexes(true));
    DataFile one = file("one");
    DataFile two = file("two");
    int count = NumberKeyRows.FOUND_CHUNK + NumberKeyRows.FOUND_CHUNK / 2;
    rows.expect(count);
    for (int id = 0; id < count; id++) {
      rows.found(key(id), one, id);
    }
    rows.found(key(3), two, 0); // in the second chunk: a second live row of a key of the first
    rows.found(key(count - 1), two, 1); // and of the second
    rows.filled();

    assertEquals(count, rows.size(), "the keys found twice held, without a place");
    assertNull(rows.of(key(3)));
    assertNull(rows.of(key(count - 1)));
    assertEquals(count - 2, rows.of(key(count - 2)).position());
    assertEquals("/warehouse/one.parquet", rows.of(key(0)).file().location());
  }

  @Test
  void aFilterTakesThePlacesMemoryBackWhenTheBudgetIsShort() {
    long slots = 16L * NumberKeyRows.MIN_SLOTS; // the smallest table of places
    KeyIndexes budget = new KeyIndexes(true, 4 * slots);
    NumberKeyRows alone = new NumberKeyRows(budget); // places of no index the budget knows
    alone.committed(flush(file("one"), 0, 10));
    InMemoryCatalog catalog = new InMemoryCatalog();
    catalog.initialize("mem", Map.of());
    catalog.createNamespace(org.apache.iceberg.catalog.Namespace.of("cdc"));
    KeyIndex index = budget.of(catalog.createTable(TableIdentifier.of("cdc", "t"), KEY), KEY);
    index.ownRowsCommitted(flush(file("two"), 0, 10), List.of());
    assertEquals(slots, index.bytes(), "half the budget taken by places");

    assertFalse(budget.reserve(4 * slots), "more than all of it: nothing given way");
    assertEquals(10, alone.size());
    assertNotNull(index.ownRow(key(3)));
    assertTrue(budget.reserve(3 * slots), "the index's places gave way to a filter");
    assertNull(index.ownRow(key(3)));
    assertEquals(0, index.bytes());
    assertEquals(10, alone.size(), "the budget cannot take back what it does not know");
  }

  @Test
  void holdingAllItSaysWhichKeysTheTableHoldsPlacedOrNot() {
    NumberKeyRows rows = new NumberKeyRows(new KeyIndexes(true));
    DataFile one = file("one");
    DataFile two = file("two");
    assertTrue(rows.holdAll(10));
    for (int id = 0; id < 10; id++) {
      rows.found(key(id), one, id);
    }
    rows.found(key(3), two, 0); // live twice
    rows.found(key(20), null, -1); // in a file whose live rows cannot be told
    rows.filled();

    assertTrue(rows.holdsAll());
    assertEquals(2, rows.of(key(2)).position());
    assertTrue(rows.holds(key(3)) && rows.of(key(3)) == null, "live twice: held, not placed");
    assertTrue(rows.holds(key(20)) && rows.of(key(20)) == null, "no place told: held");
    assertFalse(rows.holds(key(11)), "never found: not in the table");

    KeyMap<KeyLocations.RowAt> flush = KeyMap.create(KEY.asStruct());
    flush.put(key(4), null); // deleted
    flush.put(key(11), new KeyLocations.RowAt(two, 1));
    flush.put(key(12), KeyLocations.RowAt.UNPLACED); // written where the flush cannot tell
    rows.committed(flush);
    rows.otherRow(key(5)); // another writer's rows: its place is not the only one
    rows.otherRow(key(30));

    assertFalse(rows.holds(key(4)), "deleted");
    assertEquals(1, rows.of(key(11)).position());
    for (int id : new int[] {5, 12, 30}) {
      assertTrue(rows.holds(key(id)) && rows.of(key(id)) == null, "held, not placed: " + id);
    }

    rows.removed(List.of(one.location())); // a rewrite of file one: 6 is in its new file
    assertTrue(rows.lostPlace(key(6)));
    rows.found(key(6), file("three"), 0);
    rows.filled();
    assertEquals("/warehouse/three.parquet", rows.of(key(6)).file().location());
    assertTrue(rows.holds(key(7)) && rows.of(key(7)) == null, "lost, not found: held");
    assertFalse(rows.holds(key(4)));
    assertEquals(1, rows.of(key(11)).position(), "in a file kept");
    assertTrue(rows.holdsAll());
  }

  @Test
  void withoutRoomForEveryKeyItStopsHoldingAll() {
    // room for the smallest table of places only
    NumberKeyRows rows = new NumberKeyRows(new KeyIndexes(true, 2L * 16 * NumberKeyRows.MIN_SLOTS));
    assertFalse(rows.holdAll(NumberKeyRows.MIN_SLOTS), "no room for that many rows");
    assertFalse(rows.holdsAll());
    assertTrue(rows.holdAll(10));
    int fits = NumberKeyRows.MIN_SLOTS * 3 / 4;
    for (int id = 0; id < fits; id++) {
      rows.otherRow(key(id));
    }
    assertTrue(rows.holdsAll(), "as many keys as fit");
    rows.otherRow(key(fits));
    assertFalse(rows.holdsAll(), "one more: it cannot say a key is not in the table");

    assertTrue(rows.holdAll(10));
    rows.committed(flush(file("one"), 0, fits + 1)); // no room for a flush's places
    assertFalse(rows.holdsAll());
  }

  @Test
  void keysOfIntsAndDatesAreHeldAndOtherKeysAreNot() {
    assertTrue(
        NumberKeyRows.supports(
            new Schema(Types.NestedField.required(1, "id", Types.IntegerType.get()))));
    assertTrue(
        NumberKeyRows.supports(
            new Schema(Types.NestedField.required(1, "day", Types.DateType.get()))));
    assertFalse(
        NumberKeyRows.supports(
            new Schema(Types.NestedField.required(1, "code", Types.StringType.get()))));
    assertFalse(
        NumberKeyRows.supports(
            new Schema(
                Types.NestedField.required(1, "a", Types.LongType.get()),
                Types.NestedField.required(2, "b", Types.LongType.get()))));
    Schema byDay = new Schema(Types.NestedField.required(1, "day", Types.DateType.get()));
    NumberKeyRows rows = new NumberKeyRows(new KeyIndexes(true));
    KeyMap<KeyLocations.RowAt> committed = KeyMap.create(byDay.asStruct());
    Record day = GenericRecord.create(byDay);
    day.set(0, LocalDate.of(2026, 12, 6));
    committed.put(day, new KeyLocations.RowAt(file("days"), 4));
    rows.committed(committed);
    Record same = GenericRecord.create(byDay);
    same.set(0, LocalDate.of(2026, 12, 6));
    assertEquals(4, rows.of(same).position());
  }

  private static KeyMap<KeyLocations.RowAt> flush(DataFile file, long first, int count) {
    KeyMap<KeyLocations.RowAt> flush = KeyMap.create(KEY.asStruct());
    for (int i = 0; i < count; i++) {
      flush.put(key(first + i), new KeyLocations.RowAt(file, first + i));
    }
    return flush;
  }

  private static StructLike key(long id) {
    Record key = GenericRecord.create(KEY);
    key.set(0, id);
    return key;
  }

  private static DataFile file(String name) {
    return DataFiles.builder(PartitionSpec.unpartitioned())
        .withPath("/warehouse/" + name + ".parquet")
        .withFileSizeInBytes(100)
        .withRecordCount(3)
        .withFormat(FileFormat.PARQUET)
        .build();
  }
}
