package dev.floe.sink.index;

import static dev.floe.sink.event.ChangeEvents.parse;
import static dev.floe.sink.event.ChangeEvents.record;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.floe.sink.commit.CommitCycle;
import dev.floe.sink.commit.UpsertCycles;
import dev.floe.sink.schema.SchemaEvolver;
import dev.floe.sink.write.TableRows;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.apache.iceberg.hadoop.HadoopFileIO;
import org.apache.iceberg.io.InputFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a flush reads of the table to find the rows it deletes: no data file for the rows this task
 * wrote itself, nor for a key the table does not hold (inserted and deleted within the flush), only
 * for a row another writer put there.
 */
class KeyLookupsTest {
  private static final TableIdentifier ITEMS = TableIdentifier.of("cdc", "public_items");
  @TempDir Path warehouse;
  private HadoopCatalog catalog;
  private long offset;

  @BeforeEach
  void catalog() {
    catalog = new HadoopCatalog();
    catalog.setConf(new Configuration());
    catalog.initialize(
        "local",
        Map.of(
            CatalogProperties.WAREHOUSE_LOCATION,
            warehouse.toUri().toString(),
            CatalogProperties.FILE_IO_IMPL,
            CountingFileIO.class.getName()));
    CountingFileIO.DATA_FILES_OPENED.clear();
  }

  @Test
  void updatesOfItsOwnRowsAndDeletesOfNewKeysReadNoDataFile() throws Exception {
    CommitCycle task = UpsertCycles.of(catalog, new SchemaEvolver(true), 3);
    for (int id = 1; id < 100; id += 2) { // odd keys: an even key lies within the file's bounds
      apply(task, "c", id, "one");
    }
    task.commit();
    CountingFileIO.DATA_FILES_OPENED.clear();

    apply(task, "u", 7, "seven"); // a row this task wrote: its place is known
    apply(task, "c", 50, "short-lived");
    apply(task, "d", 50, null); // a key the table does not hold
    task.commit();

    assertEquals(Map.of(), CountingFileIO.DATA_FILES_OPENED, "data files read by the flush");
    Table table = catalog.loadTable(ITEMS);
    List<String> rows = TableRows.of(table, "id", "name");
    assertEquals(50, rows.size());
    assertEquals(true, rows.contains("7|seven"));
    assertEquals(false, rows.stream().anyMatch(row -> row.startsWith("50|")));
  }

  @Test
  void aRowAnotherWriterPutThereIsReadFor() throws Exception {
    CommitCycle other = UpsertCycles.of(catalog, new SchemaEvolver(true), 3);
    apply(other, "c", 1, "theirs");
    apply(other, "c", 3, "theirs");
    other.commit();
    CommitCycle task = UpsertCycles.of(catalog, new SchemaEvolver(true), 3);
    CountingFileIO.DATA_FILES_OPENED.clear();

    apply(task, "u", 3, "ours");
    task.commit();

    assertEquals(1, CountingFileIO.DATA_FILES_OPENED.size(), "the other writer's file, read");
    Table table = catalog.loadTable(ITEMS);
    assertEquals(List.of("1|theirs", "3|ours"), TableRows.of(table, "id", "name"));
  }

  private void apply(CommitCycle task, String op, int id, String name) {
    long at = offset++;
    task.apply(parse(record(op, id, name, 0, at, 100 + at)));
  }

  /** Hadoop's file IO, counting the data files opened by location. */
  public static final class CountingFileIO extends HadoopFileIO {
    static final Map<String, Integer> DATA_FILES_OPENED = new ConcurrentHashMap<>();

    public CountingFileIO() {}

    @Override
    public InputFile newInputFile(String path) {
      count(path);
      return super.newInputFile(path);
    }

    @Override
    public InputFile newInputFile(String path, long length) {
      count(path);
      return super.newInputFile(path, length);
    }

    private static void count(String path) {
      if (path.contains("/data/")) {
        DATA_FILES_OPENED.merge(path, 1, Integer::sum);
      }
    }
  }
}
