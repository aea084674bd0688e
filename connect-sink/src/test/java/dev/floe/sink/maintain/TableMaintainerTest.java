package dev.floe.sink.maintain;

import static dev.floe.sink.event.ChangeEvents.parse;
import static dev.floe.sink.event.ChangeEvents.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.floe.sink.commit.CommitCycle;
import dev.floe.sink.commit.UpsertCycles;
import dev.floe.sink.schema.SchemaEvolver;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * One task maintains a table: the one that holds partition 0 of a topic feeding it, until that
 * partition moves; the runs happen on the maintainer's own thread and are reported.
 */
class TableMaintainerTest {
  private static final TableIdentifier ITEMS = TableIdentifier.of("cdc", "public_items");
  private static final MaintenanceSettings EVERY_SECOND =
      new MaintenanceSettings(true, 1_000, true, 1, 2, Long.MAX_VALUE, true, 60_000, 1, true, 50);
  private final InMemoryCatalog catalog = new InMemoryCatalog();
  private final List<String> runs = new CopyOnWriteArrayList<>();

  TableMaintainerTest() {
    catalog.initialize("mem", Map.of());
  }

  @Test
  void theTaskWithPartitionZeroMaintainsTheTableUntilThePartitionMoves() throws Exception {
    Table table = tableWithDeletes();
    TopicPartition zero = new TopicPartition("it.public.items", 0);
    try (TableMaintainer maintainer = new TableMaintainer(catalog, EVERY_SECOND, this::ran)) {
      maintainer.fed(table.name(), List.of(zero));
      long until = System.currentTimeMillis() + 15_000;
      while (runs.isEmpty() && System.currentTimeMillis() < until) {
        Thread.sleep(100);
      }
      maintainer.revoked(List.of(zero)); // before its next run, a second after this one
      int before = runs.size();
      assertEquals("cdc.public_items compacted", runs.get(0));
      table.refresh();
      assertEquals(0, TableFiles.of(table, table.currentSnapshot()).deletes().size(), "compacted");
      Thread.sleep(2_500);
      assertEquals(before, runs.size(), "the partition moved on: so did the maintenance");
    }
  }

  /**
   * A task that takes partition 0 over from a failed one maintains the table from its assignment,
   * before it commits anything: the failed task may have committed all there was.
   */
  @Test
  void theTaskAssignedPartitionZeroMaintainsTheTableBeforeItCommits() throws Exception {
    Table table = tableWithDeletes();
    try (TableMaintainer maintainer = new TableMaintainer(catalog, EVERY_SECOND, this::ran)) {
      maintainer.assigned(ITEMS, new TopicPartition("it.public.items", 0));
      maintainer.assigned(ITEMS, new TopicPartition("it.public.items", 1)); // not partition 0
      long until = System.currentTimeMillis() + 15_000;
      while (runs.isEmpty() && System.currentTimeMillis() < until) {
        Thread.sleep(100);
      }
    }
    assertEquals("cdc.public_items compacted", runs.get(0));
    table.refresh();
    assertEquals(0, TableFiles.of(table, table.currentSnapshot()).deletes().size(), "compacted");
  }

  /** A guess from a topic's name that names no table yet: left alone until a commit creates it. */
  @Test
  void anAssignedTableNotCreatedYetIsMaintainedOnceACommitCreatesIt() throws Exception {
    TopicPartition zero = new TopicPartition("it.public.items", 0);
    try (TableMaintainer maintainer = new TableMaintainer(catalog, EVERY_SECOND, this::ran)) {
      maintainer.assigned(ITEMS, zero);
      Thread.sleep(2_500); // a run finds no table: dropped from the maintained ones, no report
      assertTrue(runs.isEmpty(), runs.toString());
      Table table = tableWithDeletes();
      maintainer.fed(table.name(), List.of(zero));
      long until = System.currentTimeMillis() + 15_000;
      while (runs.isEmpty() && System.currentTimeMillis() < until) {
        Thread.sleep(100);
      }
    }
    assertEquals("cdc.public_items compacted", runs.get(0));
  }

  @Test
  void aTaskWithoutPartitionZeroLeavesTheTableAlone() throws Exception {
    Table table = tableWithDeletes();
    try (TableMaintainer maintainer = new TableMaintainer(catalog, EVERY_SECOND, this::ran)) {
      maintainer.fed(table.name(), List.of(new TopicPartition("it.public.items", 1)));
      Thread.sleep(2_500);
    }
    assertTrue(runs.isEmpty(), runs.toString());
    table.refresh();
    assertTrue(TableFiles.of(table, table.currentSnapshot()).deletes().size() > 0);
  }

  /** A long run of one table (a large compaction) does not hold up the other tables' runs. */
  @Test
  void aLongRunOfOneTableDoesNotHoldUpAnother() throws Exception {
    Table items = tableWithDeletes();
    catalog.createTable(
        TableIdentifier.of("cdc", "other"),
        new org.apache.iceberg.Schema(
            org.apache.iceberg.types.Types.NestedField.required(
                1, "id", org.apache.iceberg.types.Types.LongType.get())));
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    List<String> otherRuns = new CopyOnWriteArrayList<>();
    try (TableMaintainer maintainer =
        new TableMaintainer(
            catalog,
            EVERY_SECOND,
            (name, before, run) -> {
              if (name.endsWith("public_items")) {
                await(release); // the long run, until the other table has run twice
              } else {
                otherRuns.add(name);
              }
            })) {
      maintainer.fed(items.name(), List.of(new TopicPartition("it.public.items", 0)));
      maintainer.fed("mem.cdc.other", List.of(new TopicPartition("it.public.other", 0)));
      long until = System.currentTimeMillis() + 15_000;
      while (otherRuns.size() < 2 && System.currentTimeMillis() < until) {
        Thread.sleep(100);
      }
      release.countDown();
    }
    assertTrue(otherRuns.size() >= 2, "the other table ran meanwhile: " + otherRuns);
  }

  private static void await(java.util.concurrent.CountDownLatch latch) {
    try {
      latch.await(20, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void orphanFilesAreLookedForAtTheFirstRunThenOncePerOrphanInterval() throws Exception {
    MaintenanceSettings hourlyOrphans =
        new MaintenanceSettings(
            true,
            1_000,
            true,
            1,
            2,
            Long.MAX_VALUE,
            true,
            60_000,
            1,
            true,
            50,
            true,
            MaintenanceSettings.MIN_ORPHAN_AGE_MS,
            3_600_000L);
    Table table = tableWithDeletes();
    List<Boolean> looked = new CopyOnWriteArrayList<>();
    try (TableMaintainer maintainer =
        new TableMaintainer(
            catalog, hourlyOrphans, (name, before, run) -> looked.add(run.lookedForOrphans()))) {
      maintainer.fed(table.name(), List.of(new TopicPartition("it.public.items", 0)));
      long until = System.currentTimeMillis() + 20_000;
      while (looked.size() < 3 && System.currentTimeMillis() < until) {
        Thread.sleep(100);
      }
    }
    assertTrue(looked.size() >= 3, "three runs: " + looked);
    assertEquals(List.of(true, false, false), looked.subList(0, 3), "the runs after the first");
  }

  private void ran(String table, TableFiles before, MaintenanceRun run) {
    runs.add(table + (run.compacted() ? " compacted" : " not compacted"));
  }

  /** Two flushes, the second updating a key of the first: a delete file to compact away. */
  private Table tableWithDeletes() {
    CommitCycle task = UpsertCycles.of(catalog, new SchemaEvolver(true));
    task.apply(parse(record("c", 1, "one", 0, 0, 1)));
    task.commit();
    task.apply(parse(record("u", 1, "uno", 0, 1, 2)));
    task.commit();
    return catalog.loadTable(ITEMS);
  }
}
