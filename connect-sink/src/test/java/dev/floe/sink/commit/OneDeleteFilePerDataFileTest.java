package dev.floe.sink.commit;

import static dev.floe.sink.event.ChangeEvents.parse;
import static dev.floe.sink.event.ChangeEvents.record;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.floe.sink.maintain.TableFiles;
import dev.floe.sink.schema.SchemaEvolver;
import dev.floe.sink.write.TableRows;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.apache.iceberg.util.ContentFileUtil;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Flush after flush deletes rows of the same data file (updates of keys an early snapshot wrote):
 * the table keeps one delete file for that data file, holding every deleted position, in format v2
 * (a file-scoped position delete file) as in v3 (a deletion vector), whichever task wrote the
 * earlier one. Without this, a v2 table gains a delete file per flush until the next compaction.
 */
class OneDeleteFilePerDataFileTest {
  private static final TableIdentifier ITEMS = TableIdentifier.of("cdc", "public_items");
  private final InMemoryCatalog catalog = new InMemoryCatalog();
  private long offset;

  OneDeleteFilePerDataFileTest() {
    catalog.initialize("mem", Map.of());
  }

  @ParameterizedTest(name = "format v{0}")
  @ValueSource(ints = {2, 3})
  void deletesOfOneDataFileAreMergedIntoOne(int formatVersion) throws Exception {
    CommitCycle first = UpsertCycles.of(catalog, new SchemaEvolver(true), formatVersion);
    for (int id = 1; id <= 10; id++) {
      apply(first, 0, "c", id, "v" + id);
    }
    first.commit(); // keys 1-10 in one data file
    String shared = onlyDataFile();

    // a second task with its own partition: it finds the rows by reading, not from what it wrote
    CommitCycle second = UpsertCycles.of(catalog, new SchemaEvolver(true), formatVersion);
    for (int id = 1; id <= 6; id++) {
      CommitCycle task = id % 2 == 0 ? second : first;
      apply(task, task == first ? 0 : 1, id == 6 ? "d" : "u", id, id == 6 ? null : "new" + id);
      task.commit();
    }

    Table table = catalog.loadTable(ITEMS);
    List<String> expected = new ArrayList<>();
    for (int id = 1; id <= 10; id++) {
      if (id != 6) {
        expected.add(id + "|" + (id <= 5 ? "new" + id : "v" + id));
      }
    }
    expected.sort(null);
    assertEquals(expected, TableRows.of(table, "id", "name"));
    TableFiles files = TableFiles.of(table, table.currentSnapshot());
    assertEquals(0, files.equalityDeleteFiles());
    List<DeleteFile> ofShared =
        files.deletes().stream()
            .filter(d -> shared.equals(ContentFileUtil.referencedDataFileLocation(d)))
            .toList();
    assertEquals(1, ofShared.size(), "one delete file for the shared data file: " + ofShared);
    assertEquals(6, ofShared.get(0).recordCount(), "it holds the six deleted rows");
    assertEquals(1, files.deletes().size(), "nothing else was deleted: " + files.deletes());
  }

  private String onlyDataFile() {
    Table table = catalog.loadTable(ITEMS);
    List<String> paths =
        TableFiles.of(table, table.currentSnapshot()).dataFiles().stream()
            .map(f -> f.location())
            .toList();
    assertEquals(1, paths.size());
    return paths.get(0);
  }

  private void apply(CommitCycle task, int partition, String op, int id, String name) {
    long at = offset++;
    task.apply(parse(record(op, id, name, partition, at, 100 + at)));
  }
}
