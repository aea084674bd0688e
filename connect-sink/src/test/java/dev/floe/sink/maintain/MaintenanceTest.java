package dev.floe.sink.maintain;

import static dev.floe.sink.event.ChangeEvents.parse;
import static dev.floe.sink.event.ChangeEvents.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.floe.sink.commit.AppliedOffsets;
import dev.floe.sink.commit.CommitCycle;
import dev.floe.sink.commit.UpsertCycles;
import dev.floe.sink.event.RecordCoordinates;
import dev.floe.sink.schema.SchemaEvolver;
import dev.floe.sink.write.TableRows;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileMetadata;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sink's own maintenance on a real (in-memory) Iceberg table: compaction leaves no delete file
 * and the same rows, a change committed while it runs is neither lost nor revived, and expiry keeps
 * what each task needs to resume.
 */
class MaintenanceTest {
  private static final TableIdentifier ITEMS = TableIdentifier.of("cdc", "public_items");
  private static final MaintenanceSettings EVERY_TIME =
      new MaintenanceSettings(true, 1_000, true, 1, 2, Long.MAX_VALUE, true, 0, 1, true, 2);
  private InMemoryCatalog catalog;
  private final Map<Integer, String> expected = new TreeMap<>();
  private final long[] offsets = new long[2];

  @BeforeEach
  void catalog() {
    catalog = new InMemoryCatalog();
    catalog.initialize("mem", Map.of());
  }

  @Test
  void compactionLeavesNoDeleteFileAndTheSameRows() throws Exception {
    CommitCycle task = task();
    Table table = flushes(task, new Random(7), 6, 40);
    assertFalse(TableFiles.of(table, table.currentSnapshot()).deletes().isEmpty());

    MaintenanceRun run = MaintenanceRun.of(table, EVERY_TIME);
    run.run(System.currentTimeMillis());

    assertTrue(run.compacted());
    table.refresh();
    TableFiles after = TableFiles.of(table, table.currentSnapshot());
    assertEquals(0, after.deletes().size(), "no delete file left to join");
    assertEquals(1, after.tasks().size(), "small files merged");
    assertEquals(want(), TableRows.of(table, "id", "name"));
  }

  /**
   * The update and the delete find their old rows in files the compaction rewrites and delete them
   * by position: the compaction takes those deletes in (vectors on its new files) rather than lose
   * the race to every flush that lands while it runs.
   */
  @org.junit.jupiter.params.ParameterizedTest(name = "format v{0}")
  @org.junit.jupiter.params.provider.ValueSource(ints = {2, 3})
  void anUpsertCommittedDuringCompactionIsNeitherLostNorRevived(int formatVersion)
      throws Exception {
    CommitCycle task = UpsertCycles.of(catalog, new SchemaEvolver(true), formatVersion);
    Table table = flushes(task, new Random(11), 4, 30);
    TableFiles planned = TableFiles.of(table, table.currentSnapshot());
    // while compaction reads, the sink commits an update, a delete and an insert
    int updated = expected.keySet().iterator().next();
    int deleted = new ArrayList<>(expected.keySet()).get(1);
    apply(task, 0, "u", updated, "after-compaction-plan");
    apply(task, 0, "d", deleted, null);
    apply(task, 0, "c", 999, "new");
    task.commit();

    Compaction.Outcome outcome = new Compaction(table).run(planned);

    assertTrue(outcome.rewrote());
    table.refresh();
    assertEquals(want(), TableRows.of(table, "id", "name"));
    TableFiles after = TableFiles.of(table, table.currentSnapshot());
    assertEquals(0, after.equalityDeleteFiles());
    for (FileScanTask file : after.tasks()) {
      assertTrue(
          file.deletes().size() <= 1, "the taken-in deletes are one per rewritten file at most");
    }
    // the sink's next commit on top of the rewrite deletes by key from the rewritten files too
    apply(task, 0, "u", updated, "after-compaction");
    apply(task, 0, "d", new ArrayList<>(expected.keySet()).get(2), null);
    task.commit();
    assertEquals(want(), TableRows.of(catalog.loadTable(ITEMS), "id", "name"));
  }

  /**
   * A busy table: a flush that updates rows of the rewritten files lands before each of the
   * rewrite's first eight commits. The rewrite catches up with each and lands; before, it gave up
   * after five.
   */
  @Test
  void aCompactionCatchesUpWithFlushAfterFlushUntilItLands() throws Exception {
    CommitCycle task = task();
    Table table = flushes(task, new Random(5), 3, 30);
    TableFiles planned = TableFiles.of(table, table.currentSnapshot());
    List<Integer> keys = new ArrayList<>(expected.keySet());
    int[] flushes = {0};
    Table busy =
        (Table)
            java.lang.reflect.Proxy.newProxyInstance(
                Table.class.getClassLoader(),
                new Class<?>[] {Table.class, org.apache.iceberg.HasTableOperations.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("newRewrite") && flushes[0] < 8) {
                    // an update of a row in a rewritten file, committed just before the rewrite
                    apply(task, 0, "u", keys.get(flushes[0]), "flush-" + flushes[0]);
                    task.commit();
                    flushes[0]++;
                  }
                  return method.invoke(table, args);
                });

    Compaction.Outcome outcome = new Compaction(busy).run(planned);

    assertTrue(outcome.rewrote());
    assertEquals(8, flushes[0], "a flush landed before each of eight attempts");
    table.refresh();
    assertEquals(want(), TableRows.of(table, "id", "name"));
    assertEquals(
        "compaction",
        table.currentSnapshot().summary().get("floe.maintenance"),
        "the rewrite landed last");
    assertEquals(0, TableFiles.of(table, table.currentSnapshot()).equalityDeleteFiles());
  }

  @Test
  void aCompactionThatLosesToAPositionDeleteCommitsNothing() throws Exception {
    CommitCycle task = task();
    changes(task, 0, new Random(3), 20);
    task.commit();
    changes(task, 0, new Random(4), 20);
    task.commit();
    Table table = catalog.loadTable(ITEMS);
    TableFiles planned = TableFiles.of(table, table.currentSnapshot());
    long snapshot = table.currentSnapshot().snapshotId();
    // another engine deletes a row of a file the compaction rewrites, by position
    FileScanTask file = planned.tasks().get(0);
    table
        .newRowDelta()
        .addDeletes(
            FileMetadata.deleteFileBuilder(table.spec())
                .ofPositionDeletes()
                .withPath(table.location() + "/data/other-engine-deletes.parquet")
                .withFormat("parquet")
                .withFileSizeInBytes(10)
                .withRecordCount(1)
                .withReferencedDataFile(file.file().location())
                .build())
        .commit();

    assertThrows(ValidationException.class, () -> new Compaction(table).run(planned));
    table.refresh();
    List<DataFile> live = TableFiles.of(table, table.currentSnapshot()).dataFiles();
    assertEquals(planned.tasks().size(), live.size(), "the rewrite did not land");
    assertEquals(snapshot, table.currentSnapshot().parentId());
  }

  @Test
  void expiryKeepsWhereEveryPartitionResumes() throws Exception {
    CommitCycle first = task();
    CommitCycle second = task();
    Random random = new Random(5);
    for (int round = 0; round < 3; round++) {
      changes(first, 0, random, 10);
      first.commit();
    }
    changes(second, 1, random, 10); // partition 1's only commit, then partition 0 goes on alone
    second.commit();
    for (int round = 0; round < 3; round++) {
      changes(first, 0, random, 10);
      first.commit();
    }
    Table table = catalog.loadTable(ITEMS);

    int expired = SnapshotExpiry.run(table, EVERY_TIME, System.currentTimeMillis() + 1);

    assertTrue(expired >= 6, "all but the newest snapshot expired: " + expired);
    AppliedOffsets resumed = new AppliedOffsets("sink");
    for (int partition = 0; partition < 2; partition++) {
      long next = offsets[partition];
      assertTrue(resumed.alreadyApplied(table, at(partition, next - 1)), "p" + partition);
      assertFalse(resumed.alreadyApplied(table, at(partition, next)), "p" + partition);
    }
    assertEquals(want(), TableRows.of(table, "id", "name"));
  }

  @Test
  void aTablePropertyOverridesTheConnectorsSetting() {
    MaintenanceSettings table =
        MaintenanceSettings.DEFAULT.forTable(
            Map.of(
                "floe.maintenance.compaction.enabled", "false",
                "floe.maintenance.expire-snapshots.max-age.ms", "60000",
                "floe.maintenance.interval.ms", "not a number"));
    assertFalse(table.compaction());
    assertEquals(MaintenanceSettings.MIN_SNAPSHOT_AGE_MS, table.snapshotMaxAgeMs(), "floored");
    assertEquals(MaintenanceSettings.DEFAULT.intervalMs(), table.intervalMs(), "typo ignored");
  }

  private static RecordCoordinates at(int partition, long offset) {
    return RecordCoordinates.of(record("u", 1, "x", partition, offset, offset));
  }

  /** {@code flushes} commits of {@code each} random changes on partition 0: the table then. */
  private Table flushes(CommitCycle task, Random random, int flushes, int each) {
    for (int flush = 0; flush < flushes; flush++) {
      changes(task, 0, random, each);
      task.commit();
    }
    return catalog.loadTable(ITEMS);
  }

  /** {@code count} random inserts, updates and deletes on Kafka partition {@code partition}. */
  private void changes(CommitCycle task, int partition, Random random, int count) {
    for (int i = 0; i < count; i++) {
      int id = partition * 1_000 + random.nextInt(50);
      boolean delete = expected.containsKey(id) && random.nextInt(4) == 0;
      if (delete) {
        apply(task, partition, "d", id, null);
      } else {
        apply(task, partition, expected.containsKey(id) ? "u" : "c", id, "v" + random.nextInt());
      }
    }
  }

  private void apply(CommitCycle task, int partition, String op, int id, String name) {
    long offset = offsets[partition]++;
    SinkRecord record = record(op, id, name, partition, offset, 100 + offset);
    task.apply(parse(record));
    if (op.equals("d")) {
      expected.remove(id);
    } else {
      expected.put(id, name);
    }
  }

  private List<String> want() {
    List<String> rows = new ArrayList<>();
    expected.forEach((id, name) -> rows.add(id + "|" + name));
    rows.sort(null);
    return rows;
  }

  private CommitCycle task() {
    return UpsertCycles.of(catalog, new SchemaEvolver(true));
  }
}
