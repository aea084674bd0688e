package dev.floe.sink.commit;

import static dev.floe.sink.event.ChangeEvents.parse;
import static dev.floe.sink.event.ChangeEvents.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.floe.sink.maintain.MaintenanceRun;
import dev.floe.sink.maintain.MaintenanceSettings;
import dev.floe.sink.maintain.TableFiles;
import dev.floe.sink.schema.SchemaEvolver;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.util.ContentFileUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The deletes a flush's new delete file takes in, read from the delete manifests alone: the same
 * ones a scan planned over the whole table finds, and a commit failure when a data file of the
 * flush's rows was rewritten since they were found.
 */
class FileScopedDeletesTest {
  private static final TableIdentifier ITEMS = TableIdentifier.of("cdc", "public_items");
  private final InMemoryCatalog catalog = new InMemoryCatalog();
  private long offset;

  FileScopedDeletesTest() {
    catalog.initialize("mem", Map.of());
  }

  @ParameterizedTest(name = "format v{0}")
  @ValueSource(ints = {2, 3})
  void findsWhatAPlannedScanFindsForEachDataFile(int formatVersion) throws IOException {
    CommitCycle task = UpsertCycles.of(catalog, new SchemaEvolver(true), formatVersion);
    for (int id = 1; id <= 12; id++) {
      apply(task, "c", id);
      if (id % 4 == 0) {
        task.commit(); // three data files of four keys
      }
    }
    for (int id : new int[] {1, 5, 2, 9, 6}) {
      apply(task, "u", id);
      task.commit(); // a delete file (v3: a vector) per commit, merged into one per data file
    }
    Table table = catalog.loadTable(ITEMS);
    Snapshot base = table.currentSnapshot();
    Set<String> dataFiles = new TreeSet<>();
    for (DataFile file : TableFiles.of(table, base).dataFiles()) {
      dataFiles.add(file.location());
    }

    assertTrue(
        base.deleteManifests(table.io()).size() > 1, "several delete manifests, read side by side");
    Map<String, List<DeleteFile>> read =
        FileScopedDeletes.of(table, base, base.snapshotId(), dataFiles);

    Map<String, Set<String>> planned = plannedDeletes(table, base, dataFiles);
    assertEquals(3, planned.size(), "the three first files have deletes; the updates' own none");
    assertEquals(planned, locations(read));
  }

  @Test
  void aCompactionSinceTheRowsWereFoundWritesTheFlushAgain() {
    CommitCycle task = UpsertCycles.of(catalog, new SchemaEvolver(true), 3);
    for (int id = 1; id <= 6; id++) {
      apply(task, "c", id);
      if (id % 3 == 0) {
        task.commit(); // two small files: the compaction merges them
      }
    }
    apply(task, "u", 2);
    task.commit();
    Table table = catalog.loadTable(ITEMS);
    Snapshot foundIn = table.currentSnapshot();
    Set<String> dataFiles = new TreeSet<>();
    TableFiles.of(table, foundIn).dataFiles().forEach(file -> dataFiles.add(file.location()));

    MaintenanceRun.of(table, compactingEveryTime()).run(System.currentTimeMillis());
    table.refresh();

    assertEquals(1, TableFiles.of(table, table.currentSnapshot()).dataFiles().size(), "compacted");
    CommitFailedException again =
        assertThrows(
            CommitFailedException.class,
            () ->
                FileScopedDeletes.of(
                    table, table.currentSnapshot(), foundIn.snapshotId(), dataFiles));
    assertTrue(again.getMessage().contains("writing it again"), again.getMessage());
  }

  @Test
  void aHistoryThatCannotBeFollowedIsLeftToAPlannedScan() {
    CommitCycle task = UpsertCycles.of(catalog, new SchemaEvolver(true), 3);
    apply(task, "c", 1);
    task.commit();
    apply(task, "u", 1);
    task.commit();
    Table table = catalog.loadTable(ITEMS);
    Snapshot current = table.currentSnapshot();
    Snapshot first = table.snapshot(current.parentId());
    table.manageSnapshots().rollbackTo(first.snapshotId()).commit();
    String dataFile = TableFiles.of(table, first).dataFiles().get(0).location();

    // the rows were found in a snapshot the table went back from: not an ancestor any more
    assertNull(
        FileScopedDeletes.of(table, first, current.snapshotId(), Set.of(dataFile)),
        "null: the caller plans a scan of the snapshot the commit is built on");
    assertEquals(Map.of(), FileScopedDeletes.of(table, null, -1, Set.of()), "nothing to read");
  }

  private void apply(CommitCycle task, String op, int id) {
    long at = offset++;
    task.apply(parse(record(op, id, op + id + "@" + at, 0, at, 100 + at)));
  }

  private static Map<String, Set<String>> plannedDeletes(
      Table table, Snapshot base, Set<String> dataFiles) throws IOException {
    Map<String, List<DeleteFile>> found = new TreeMap<>();
    try (CloseableIterable<FileScanTask> tasks =
        table.newScan().useSnapshot(base.snapshotId()).planFiles()) {
      for (FileScanTask scanned : tasks) {
        for (DeleteFile delete : scanned.deletes()) {
          if (ContentFileUtil.isFileScoped(delete)
              && dataFiles.contains(scanned.file().location())) {
            found.computeIfAbsent(scanned.file().location(), f -> new ArrayList<>()).add(delete);
          }
        }
      }
    }
    return locations(found);
  }

  private static Map<String, Set<String>> locations(Map<String, List<DeleteFile>> deletes) {
    Map<String, Set<String>> locations = new TreeMap<>();
    deletes.forEach(
        (file, files) -> {
          Set<String> named = new TreeSet<>();
          files.forEach(delete -> named.add(delete.location() + "@" + delete.contentOffset()));
          locations.put(file, named);
        });
    return locations;
  }

  private static MaintenanceSettings compactingEveryTime() {
    return new MaintenanceSettings(
        true, 1_000, true, 1, 2, Long.MAX_VALUE, false, 60_000, 1, false, 50);
  }
}
