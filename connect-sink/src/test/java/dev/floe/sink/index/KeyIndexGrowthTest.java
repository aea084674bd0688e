package dev.floe.sink.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Test;

/**
 * An index whose keys outgrow it takes a larger filter beside the full one instead of reading every
 * key of the table again, never loses a key it was given, keeps its false positives near the first
 * filter's rate, and is built again as one filter after {@link KeyFilters#MAX_FILTERS}.
 */
class KeyIndexGrowthTest {
  private static final Schema KEY = ItemsTable.KEY;

  @Test
  void fullFiltersGetALargerOneBesideThemThenOneBuiltAgain() {
    Table table = ItemsTable.empty();
    KeyIndexes budget = new KeyIndexes(true, 1L << 30);
    KeyIndex index = new KeyIndex(KEY, budget, 1_000, false);
    index.sync(table);
    assertEquals(1, index.builds());

    long added = 0;
    int filters = 1;
    while (index.builds() == 1) {
      for (int i = 0; i < 1_500; i++) {
        index.add(key(added++));
      }
      index.sync(table); // the table has no commits: only the index's own growth happens
      if (index.builds() == 1) {
        assertTrue(index.filters() >= filters, "filters are only added");
        filters = index.filters();
        for (long id = 0; id < added; id++) {
          assertTrue(index.mayHold(key(id)), "key " + id + " lost at " + filters + " filters");
        }
        long falsePositives = 0;
        for (long id = 10_000_000; id < 10_020_000; id++) {
          falsePositives += index.mayHold(key(id)) ? 1 : 0;
        }
        // each added filter is twice as selective: all together under twice the first's 1%
        assertTrue(
            falsePositives < 20_000 * 0.025,
            falsePositives + " false positives in 20,000 with " + filters + " filters");
      }
    }
    assertEquals(KeyFilters.MAX_FILTERS, filters, "built again only once the last filter was full");
    assertEquals(1, index.filters(), "built again as one filter");
    assertEquals(index.bytes(), budgetUsed(budget, index));
  }

  /**
   * Flushes as large as the first filter's room (the benchmark's 100,000 new keys per flush with a
   * filter for 100,000): the second flush starts with the filter exactly full, and must not go into
   * it. It did, when fullness was only looked at between flushes: twice its keys in it, and ~15% of
   * all new keys were "may hold" from then on.
   */
  @Test
  void aFlushThatStartsWithTheFilterExactlyFullGoesIntoANewOne() {
    Table table = ItemsTable.empty();
    KeyIndex index = new KeyIndex(KEY, new KeyIndexes(true, 1L << 30), 1_000, false);
    index.sync(table);
    long added = 0;
    for (int flush = 1; flush <= 8 && index.builds() == 1; flush++) {
      for (int i = 0; i < 1_000; i++) {
        index.add(key(added++));
      }
      index.sync(table);
      long falsePositives = 0;
      for (long id = 10_000_000; id < 10_020_000; id++) {
        falsePositives += index.mayHold(key(id)) ? 1 : 0;
      }
      assertTrue(
          falsePositives < 20_000 * 0.025,
          falsePositives + " false positives in 20,000 after flush " + flush);
    }
  }

  /**
   * Serial keys: a flush's new keys lie above every key the table holds, and none of them is "may
   * hold" (the Bloom filter alone says so of ~1%, each then looked for in the table's files); every
   * key it was given still is, and so is an absent key inside their range.
   */
  @Test
  void newKeysAboveEveryKeyItHoldsAreNeverMayHold() {
    Table table = ItemsTable.empty();
    KeyIndex index = new KeyIndex(KEY, new KeyIndexes(true, 1L << 30), 1_000, false);
    index.sync(table);
    for (long id = 1_000; id < 50_000; id += 2) { // the odd ids in the range are absent
      index.add(key(id));
    }
    index.sync(table);
    long mayHold = 0;
    for (long id = 50_000; id < 150_000; id++) {
      mayHold += index.mayHold(key(id)) ? 1 : 0;
    }
    for (long id = -100_000; id < 1_000; id++) {
      mayHold += index.mayHold(key(id)) ? 1 : 0;
    }
    assertEquals(0, mayHold, "keys outside the range of its keys");
    long inRange = 0;
    for (long id = 1_000; id < 50_000; id++) {
      boolean held = id % 2 == 0;
      assertTrue(!held || index.mayHold(key(id)), "key " + id + " lost");
      inRange += !held && index.mayHold(key(id)) ? 1 : 0;
    }
    assertTrue(inRange < 24_500 * 0.025, inRange + " false positives inside the range");
    index.add(key(-5)); // a key below: the range widens
    assertTrue(index.mayHold(key(-5)));
  }

  /**
   * A build for full filters reads the table's keys again, but the commits since the last sync are
   * followed first: where this task's rows are stays known (updates of them are not looked for).
   */
  @Test
  void aBuildForFullFiltersKeepsWhereThisTasksRowsAre() {
    Table table = ItemsTable.empty();
    KeyIndex index = new KeyIndex(KEY, new KeyIndexes(true, 1L << 30), 1_000, false);
    index.sync(table);
    org.apache.iceberg.DataFile file =
        org.apache.iceberg.DataFiles.builder(org.apache.iceberg.PartitionSpec.unpartitioned())
            .withPath("/warehouse/own.parquet")
            .withFileSizeInBytes(100)
            .withRecordCount(1)
            .withFormat(org.apache.iceberg.FileFormat.PARQUET)
            .build();
    KeyMap<KeyLocations.RowAt> own = KeyMap.create(KEY.asStruct());
    own.put(key(7), new KeyLocations.RowAt(file, 3));
    index.ownRowsCommitted(own, java.util.List.of());
    long added = 0;
    while (index.builds() == 1) {
      for (int i = 0; i < 1_500; i++) {
        index.add(key(1_000 + added++));
      }
      index.sync(table);
    }
    KeyLocations.RowAt row = index.ownRow(key(7));
    assertTrue(row != null && row.position() == 3, "still known after the build: " + row);
  }

  /** What the budget lends: all it has minus what one more reservation of the rest finds. */
  private static long budgetUsed(KeyIndexes budget, KeyIndex index) {
    long free = (1L << 30) - index.bytes();
    assertTrue(budget.reserve(free), "the index holds no more than its filters");
    assertTrue(!budget.reserve(1), "and no less");
    budget.release(free);
    return index.bytes();
  }

  private static Record key(long id) {
    Record key = GenericRecord.create(KEY);
    key.setField("id", id);
    return key;
  }
}
