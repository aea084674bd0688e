package dev.floe.sink.commit;

import static dev.floe.sink.event.ChangeEvents.event;
import static dev.floe.sink.event.ChangeEvents.keyChange;
import static dev.floe.sink.event.ChangeEvents.parse;
import static dev.floe.sink.event.ChangeEvents.record;
import static dev.floe.sink.event.ChangeEvents.widerInsert;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.floe.sink.fill.CommittedRowCache;
import dev.floe.sink.fill.CommittedRows;
import dev.floe.sink.fill.FillSettings;
import dev.floe.sink.fill.TableScanRows;
import dev.floe.sink.route.TableProvisioner;
import dev.floe.sink.route.TableRouter;
import dev.floe.sink.schema.UnavailableValues;
import dev.floe.sink.write.TableRows;
import dev.floe.sink.write.TableWriters;
import dev.floe.sink.write.WriteMode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Values Postgres did not send (unchanged TOASTed columns, here {@code name}) come from the row's
 * last state: an earlier change in the flush, else the table, read once per flush; the new row of a
 * primary-key change takes them from the old key, in this task's buffer, in a committed snapshot,
 * or once another task commits the old key's delete.
 */
class UnchangedValuesTest {
  private static final String TOAST = UnavailableValues.DEBEZIUM_DEFAULT;

  /** A value large enough that Postgres may have stored it out of line (over 128 bytes a row). */
  private static String large(String text) {
    return text + "-".repeat(120);
  }

  private InMemoryCatalog catalog;
  private final List<String> refused = new ArrayList<>();
  private final CountingRows reads = new CountingRows();

  @BeforeEach
  void catalog() {
    catalog = new InMemoryCatalog();
    catalog.initialize("mem", Map.of());
  }

  @Test
  void anUnsentValueComesFromTheEarlierChangeInTheSameFlush() throws Exception {
    CommitCycle task = task(WriteMode.UPSERT, 60_000);
    task.apply(event("c", 1, "big text", 0));
    task.apply(event("u", 1, TOAST, 1));
    task.commit();
    assertEquals(List.of("1|big text"), rows());
    assertEquals(0, reads.calls, "nothing read from the table");
  }

  @Test
  void anUnsentValueComesFromTheTableInOneReadPerFlush() throws Exception {
    CommitCycle task = task(WriteMode.UPSERT, 60_000);
    task.apply(event("c", 1, "one", 0));
    task.apply(event("c", 2, "two", 1));
    task.apply(event("c", 3, "three", 2));
    task.commit();
    task.apply(event("u", 1, TOAST, 3));
    task.apply(event("u", 2, TOAST, 4));
    task.apply(event("u", 2, TOAST, 5)); // waits on the same value as the change before it
    task.apply(event("u", 3, "drei", 6));
    task.commit();
    assertEquals(List.of("1|one", "2|two", "3|drei"), rows());
    assertEquals(1, reads.calls, "one read for every row of the flush");
    assertEquals(2, reads.keys);
    assertTrue(refused.isEmpty(), refused.toString());
  }

  @Test
  void aChangeWhoseRowTheTableDoesNotHoldIsRefusedAndTheRestLands() throws Exception {
    CommitCycle task = task(WriteMode.UPSERT, 60_000);
    task.apply(event("c", 1, "one", 0));
    task.apply(event("u", 7, TOAST, 1)); // key 7 was never written
    task.commit();
    assertEquals(List.of("1|one"), rows());
    assertEquals(List.of("it.public.items-0@1"), refused);
  }

  @Test
  void aKeyChangeInOnePartitionTakesTheOldRowFromTheBuffer() throws Exception {
    CommitCycle task = task(WriteMode.UPSERT, 60_000);
    task.apply(event("c", 1, "one", 0));
    task.commit();
    task.apply(event("u", 1, "uno", 1));
    SinkRecord[] change = keyChange(1, 9, TOAST, 0, 2, 0, 4, 500);
    task.apply(parse(change[0]));
    task.apply(parse(change[1])); // the tombstone does not lose the state before the delete
    task.apply(parse(change[2]));
    task.commit();
    assertEquals(List.of("9|uno"), rows());
    assertTrue(refused.isEmpty(), refused.toString());
  }

  @Test
  void aKeyChangeOfARowCommittedEarlierTakesItFromTheTable() throws Exception {
    CommitCycle task = task(WriteMode.UPSERT, 60_000);
    task.apply(event("c", 25, "twenty-five", 11));
    task.commit();
    SinkRecord[] change = keyChange(25, 37, TOAST, 0, 16, 0, 18, 500);
    task.apply(parse(change[0]));
    task.apply(parse(change[1]));
    task.apply(parse(change[2]));
    task.apply(parse(record("u", 37, TOAST, 0, 19, 501)));
    task.commit();
    assertEquals(List.of("37|twenty-five"), rows());
    assertTrue(refused.isEmpty(), refused.toString());
  }

  @Test
  void aKeyChangeAcrossFlushesTakesTheOldRowFromTheSnapshotBeforeItsDelete() throws Exception {
    CommitCycle task = task(WriteMode.UPSERT, 60_000);
    task.apply(event("c", 1, "one", 0));
    task.apply(event("c", 2, "two", 1));
    task.commit();
    task.apply(event("u", 2, "zwei", 2)); // unrelated changes in the delete's flush
    SinkRecord[] change = keyChange(1, 9, TOAST, 0, 3, 0, 5, 500);
    task.apply(parse(change[0]));
    task.apply(parse(change[1]));
    task.commit();
    task.apply(parse(change[2]));
    task.commit();
    assertEquals(List.of("2|zwei", "9|one"), rows());
  }

  @Test
  void aKeyChangeFromAnotherTasksPartitionWaitsForThatTasksCommit() throws Exception {
    CommitCycle newKeyTask = task(WriteMode.UPSERT, 60_000);
    CommitCycle oldKeyTask = task(WriteMode.UPSERT, 60_000);
    oldKeyTask.apply(parse(record("c", 1, large("one"), 1, 0, 400)));
    oldKeyTask.commit();
    oldKeyTask.apply(parse(record("u", 1, large("uno"), 1, 1, 450)));
    SinkRecord[] change = keyChange(1, 9, TOAST, 1, 2, 0, 0, 500);
    newKeyTask.apply(parse(change[2]));
    newKeyTask.commitOnTime();
    assertEquals(
        List.of("1|" + large("one")),
        rows(),
        "the new row waits: nothing of that task is committed");

    oldKeyTask.apply(parse(change[0])); // its last state lands first, then the delete
    oldKeyTask.apply(parse(change[1]));
    oldKeyTask.commit();
    newKeyTask.commitOnTime();
    assertEquals(List.of("9|" + large("uno")), rows());
    assertTrue(refused.isEmpty(), refused.toString());
  }

  @Test
  void anOldRowStillWaitingForItsUnsentValueIsCommittedAheadOfItsKeyChange() throws Exception {
    CommitCycle newKeyTask = task(WriteMode.UPSERT, 2_000);
    CommitCycle oldKeyTask = task(WriteMode.UPSERT, 2_000);
    oldKeyTask.apply(parse(record("c", 1, large("one"), 1, 0, 400)));
    oldKeyTask.commit();
    // an update leaving the large value unchanged: its row waits for it from the table, and
    // meanwhile holds too little to look like a row that had an out-of-line value
    oldKeyTask.apply(parse(record("u", 1, TOAST, 1, 1, 450)));
    SinkRecord[] change = keyChange(1, 9, TOAST, 1, 2, 0, 0, 500);
    oldKeyTask.apply(parse(change[0]));
    oldKeyTask.apply(parse(change[1]));
    newKeyTask.apply(parse(change[2]));

    oldKeyTask.commit();
    newKeyTask.commit();
    assertEquals(List.of("9|" + large("one")), rows());
    assertTrue(refused.isEmpty(), refused.toString());
  }

  @Test
  void aKeyThatChangesTwiceInOneBufferGivesEachNewRowItsOwnOldState() throws Exception {
    CommitCycle oldKeyTask = task(WriteMode.UPSERT, 60_000);
    CommitCycle newKeyTask = task(WriteMode.UPSERT, 60_000);
    oldKeyTask.apply(parse(record("c", 1, large("first"), 1, 0, 100)));
    oldKeyTask.commit();
    oldKeyTask.apply(parse(record("u", 1, large("uno"), 1, 1, 200)));
    SinkRecord[] toNine = keyChange(1, 9, TOAST, 1, 2, 0, 0, 500);
    oldKeyTask.apply(parse(toNine[0]));
    oldKeyTask.apply(parse(toNine[1]));
    oldKeyTask.apply(parse(record("c", 1, large("second"), 1, 4, 550))); // the key comes back
    SinkRecord[] toTen = keyChange(1, 10, TOAST, 1, 5, 0, 1, 600);
    oldKeyTask.apply(parse(toTen[0]));
    oldKeyTask.apply(parse(toTen[1]));
    newKeyTask.apply(parse(toNine[2]));
    newKeyTask.apply(parse(toTen[2]));

    newKeyTask.commitOnTime(); // waits
    oldKeyTask.commitOnTime(); // both old states go out, then the buffer
    newKeyTask.commitOnTime();
    assertEquals(List.of("10|" + large("second"), "9|" + large("uno")), rows());
    assertTrue(refused.isEmpty(), refused.toString());
  }

  @Test
  void onlyRowsLargeEnoughToHaveHadAnOutOfLineValueAreCommittedAheadOfTheirKeyChange()
      throws Exception {
    CommitCycle task = task(WriteMode.UPSERT, 60_000);
    task.apply(event("c", 1, "small", 0));
    task.apply(event("c", 2, large("large"), 1));
    task.commit();
    task.apply(event("u", 1, "still small", 2));
    task.apply(event("u", 2, large("still large"), 3));
    // both keys move to another partition (their new rows are another task's)
    for (SinkRecord record : keyChange(1, 11, "x", 0, 4, 1, 0, 500)) {
      if (record.kafkaPartition() == 0) {
        task.apply(parse(record));
      }
    }
    for (SinkRecord record : keyChange(2, 12, "x", 0, 6, 1, 1, 600)) {
      if (record.kafkaPartition() == 0) {
        task.apply(parse(record));
      }
    }
    task.commit();
    Table table = catalog.loadTable(TableIdentifier.of("cdc", "public_items"));
    List<String> added = new ArrayList<>();
    table.snapshots().forEach(snapshot -> added.add(snapshot.summary().get("added-records")));
    // the flush before; the old state of key 2 only (key 1 is too small to have been out of line);
    // the flush itself, which only deletes
    assertEquals(java.util.Arrays.asList("2", "1", null), added);
  }

  @Test
  void twoTasksWaitingForEachOthersKeyChangesDoNotWaitForEachOthersBuffers() throws Exception {
    CommitCycle first = task(WriteMode.UPSERT, 60_000); // partition 0
    CommitCycle second = task(WriteMode.UPSERT, 60_000); // partition 1
    first.apply(parse(record("c", 1, large("one"), 0, 0, 100)));
    first.commit();
    second.apply(parse(record("c", 2, large("two"), 1, 0, 101)));
    second.commit();
    SinkRecord[] oneToEleven = keyChange(1, 11, TOAST, 0, 1, 1, 1, 500);
    SinkRecord[] twoToTwelve = keyChange(2, 12, TOAST, 1, 2, 0, 3, 600);
    first.apply(parse(oneToEleven[0]));
    first.apply(parse(oneToEleven[1]));
    first.apply(parse(twoToTwelve[2])); // waits for the second task
    second.apply(parse(oneToEleven[2])); // waits for the first task
    second.apply(parse(twoToTwelve[0]));
    second.apply(parse(twoToTwelve[1]));

    first.commitOnTime(); // its own buffer waits, the old row of key 1 goes out
    assertEquals(List.of("1|" + large("one"), "2|" + large("two")), rows());
    second.commitOnTime(); // key 11 takes key 1's row; the old row of key 2 goes out
    first.commitOnTime(); // key 12 takes key 2's row
    assertEquals(List.of("11|" + large("one"), "12|" + large("two")), rows());
    assertTrue(refused.isEmpty(), refused.toString());
  }

  /**
   * Both tasks meet a new column while each buffers a new row waiting for the other's old row:
   * neither waits in place (each would stop reading what the other waits for); each holds the
   * change back, and takes it once the rows it waited for are committed.
   */
  @Test
  void twoTasksMeetingASchemaChangeWhileWaitingForEachOtherHoldItBack() throws Exception {
    CommitCycle first = task(WriteMode.UPSERT, 60_000); // partitions 0 and 2
    CommitCycle second = task(WriteMode.UPSERT, 60_000); // partitions 1 and 3
    first.apply(parse(record("c", 1, large("one"), 2, 0, 100)));
    first.commit();
    second.apply(parse(record("c", 2, large("two"), 3, 0, 101)));
    second.commit();
    SinkRecord[] oneToEleven = keyChange(1, 11, TOAST, 2, 1, 1, 0, 500);
    SinkRecord[] twoToTwelve = keyChange(2, 12, TOAST, 3, 1, 0, 0, 600);
    first.apply(parse(twoToTwelve[2])); // waits for the second task
    second.apply(parse(oneToEleven[2])); // waits for the first task
    dev.floe.sink.event.ChangeEvent firstNewShape = parse(widerInsert(20, 0, 1, 700));
    dev.floe.sink.event.ChangeEvent secondNewShape = parse(widerInsert(21, 1, 1, 701));

    // the old rows each waits for are on the other task's other partition, not read yet
    assertEquals(false, first.apply(firstNewShape), "held back, not waited for");
    assertEquals(false, second.apply(secondNewShape), "held back, not waited for");
    assertEquals(List.of("1|" + large("one"), "2|" + large("two")), rows());
    first.apply(parse(oneToEleven[0])); // read meanwhile, from the partition not held
    first.apply(parse(oneToEleven[1]));
    second.apply(parse(twoToTwelve[0]));
    second.apply(parse(twoToTwelve[1]));

    Thread.sleep(HeldPartitions.HOLD_MS + 50); // offered again once the partition rested
    first.commitOnTime(); // the old row of key 1 goes out; its own buffer still waits
    assertEquals(true, second.apply(secondNewShape), "its buffer lands, then the new column");
    assertEquals(true, first.apply(firstNewShape));
    first.commit();
    second.commit();
    assertEquals(List.of("11|" + large("one"), "12|" + large("two"), "20|new", "21|new"), rows());
    assertTrue(refused.isEmpty(), refused.toString());
  }

  @Test
  void aKeyChangeWhoseOldRowIsNeverCommittedIsRefusedAfterTheTimeout() throws Exception {
    CommitCycle task = task(WriteMode.UPSERT, 300);
    task.apply(event("c", 5, "five", 0));
    SinkRecord[] change = keyChange(1, 9, TOAST, 1, 0, 0, 1, 500);
    task.apply(parse(change[2]));
    task.commit(); // waits up to the timeout, then refuses the change and commits the rest
    assertEquals(List.of("5|five"), rows());
    assertEquals(List.of("it.public.items-0@1"), refused);
  }

  @Test
  void aSoftDeletedRowAndAChangelogRowAreComplete() throws Exception {
    CommitCycle softDelete = task(WriteMode.SOFT_DELETE, 60_000);
    softDelete.apply(event("c", 1, "one", 0));
    softDelete.commit();
    softDelete.apply(event("u", 1, TOAST, 1));
    softDelete.apply(event("d", 1, null, 2));
    softDelete.commit();
    assertEquals(List.of("1|one|true"), rows("id", "name", "_floe_deleted"));

    catalog();
    CommitCycle changelog = task(WriteMode.CHANGELOG, 60_000);
    changelog.apply(event("c", 1, "one", 0));
    changelog.commit();
    changelog.apply(event("u", 1, TOAST, 1));
    changelog.apply(event("d", 1, null, 2));
    changelog.commit();
    assertEquals(
        List.of("0|one|c", "1|one|u", "2|one|d"), rows("_floe_kafka_offset", "name", "_floe_op"));
  }

  @Test
  void valuesThisTaskCommittedAreFilledWithoutReadingTheTable() throws Exception {
    CommitCycle task = task(WriteMode.UPSERT, 60_000, new CommittedRowCache(reads, 1 << 20));
    task.apply(event("c", 1, "one", 0));
    task.apply(event("c", 2, "two", 1));
    task.commit();
    task.apply(event("u", 1, TOAST, 2)); // the first fill of the column reads the table
    task.commit();
    assertEquals(1, reads.calls);
    task.apply(event("u", 1, "uno", 3)); // a new value: what the cache holds follows the table
    task.apply(event("u", 2, TOAST, 4));
    task.commit();
    task.apply(event("u", 1, TOAST, 5));
    task.apply(event("u", 2, TOAST, 6));
    task.commit();
    assertEquals(List.of("1|uno", "2|two"), rows());
    assertEquals(2, reads.calls, "key 2 read once, then both answered from what was committed");

    task.apply(event("d", 2, null, 7));
    task.commit();
    task.assigned(); // new partitions: another task may have changed these keys meanwhile
    task.apply(event("u", 1, TOAST, 8));
    task.apply(event("u", 2, TOAST, 9)); // deleted since: a replay of the source, superseded
    task.commit();
    assertEquals(3, reads.calls);
    assertEquals(List.of("1|uno"), rows());
    assertTrue(refused.isEmpty(), refused.toString());
  }

  @Test
  void aReplayedKeyChangeInTheSameBufferTakesTheStateBeforeTheChangeAgain() throws Exception {
    CommitCycle task = task(WriteMode.UPSERT, 60_000);
    task.apply(event("c", 1, "one", 0));
    SinkRecord[] change = keyChange(1, 9, TOAST, 0, 1, 0, 3, 500);
    for (SinkRecord record : change) {
      task.apply(parse(record));
    }
    // the source restarted and sends the key change again, at new offsets
    SinkRecord[] again = keyChange(1, 9, TOAST, 0, 4, 0, 6, 500);
    for (SinkRecord record : again) {
      task.apply(parse(record));
    }
    task.commit();
    assertEquals(List.of("9|one"), rows());
    assertTrue(refused.isEmpty(), refused.toString());
  }

  @Test
  void aReplayedKeyChangeAfterItsCommitLeavesTheNewRowAsTheTableHoldsIt() throws Exception {
    CommitCycle task = task(WriteMode.UPSERT, 60_000);
    task.apply(event("c", 1, "one", 0));
    SinkRecord[] change = keyChange(1, 9, TOAST, 0, 1, 0, 3, 500);
    for (SinkRecord record : change) {
      task.apply(parse(record));
    }
    task.apply(event("u", 9, "nine", 4));
    task.commit();
    SinkRecord[] again = keyChange(1, 9, TOAST, 0, 5, 0, 7, 500);
    for (SinkRecord record : again) {
      task.apply(parse(record)); // key 1 is gone from the table: the replay is behind it
    }
    task.commit();
    assertEquals(List.of("9|nine"), rows(), "the later state stays, nothing is deleted");
    assertTrue(refused.isEmpty(), refused.toString());
  }

  @Test
  void aReplayedUpdateAfterItsKeysDeleteIsSupersededNotRefused() throws Exception {
    CommitCycle task = task(WriteMode.UPSERT, 60_000);
    task.apply(event("c", 1, "one", 0));
    task.apply(event("u", 1, "uno", 1));
    task.apply(event("d", 1, null, 2));
    // Debezium restarted from an older position: the same changes again, at new offsets
    task.apply(event("u", 1, TOAST, 3));
    task.commit(); // a flush boundary inside the replay
    assertEquals(List.of(), rows(), "the key keeps its delete");
    task.apply(event("d", 1, null, 4));
    task.commit();
    assertEquals(List.of(), rows());
    assertTrue(refused.isEmpty(), refused.toString());
  }

  private CommitCycle task(WriteMode mode, long keyChangeTimeoutMs) {
    return task(mode, keyChangeTimeoutMs, reads);
  }

  private CommitCycle task(WriteMode mode, long keyChangeTimeoutMs, CommittedRows committed) {
    TableWriters writers =
        new TableWriters(
            new TableRouter("cdc"),
            new TableProvisioner(catalog, true, 2, Map.of(), t -> null, mode),
            mode,
            t -> Map.of(),
            new FillSettings(UnavailableValues.DEFAULT, keyChangeTimeoutMs, 0),
            1);
    return CommitCycleBuilder.of(writers, "sink")
        .flushMaxRecords(1_000)
        .committedRows(committed)
        .refusals(
            (records, reason) ->
                records.forEach(
                    r -> refused.add(r.topic() + "-" + r.kafkaPartition() + "@" + r.kafkaOffset())))
        .build();
  }

  private List<String> rows(String... columns) throws Exception {
    Table table = catalog.loadTable(TableIdentifier.of("cdc", "public_items"));
    return TableRows.of(table, columns.length == 0 ? new String[] {"id", "name"} : columns);
  }

  /** Counts the reads of the table, and reads it for real. */
  private static final class CountingRows implements CommittedRows {
    private final TableScanRows scans = new TableScanRows();
    int calls;
    int keys;

    @Override
    public Map<StructLike, Record> find(
        Table table, long snapshotId, Schema keySchema, Collection<Record> keys, Set<String> c) {
      calls++;
      this.keys += keys.size();
      return scans.find(table, snapshotId, keySchema, keys, c);
    }

    @Override
    public long snapshotOfKeyChange(Table table, long lsn) {
      return scans.snapshotOfKeyChange(table, lsn);
    }
  }
}
