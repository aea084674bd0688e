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
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.RewriteFiles;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.apache.iceberg.hadoop.HadoopFileIO;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.parquet.Parquet;
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
    CountingFileIO.FAIL_ONCE.set(null);
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
  void aRowAnotherWriterPutThereAfterTheTaskStartedIsReadFor() throws Exception {
    CommitCycle task = UpsertCycles.of(catalog, new SchemaEvolver(true), 3);
    apply(task, "c", 1, "ours");
    task.commit(); // its key index is built: it follows the table from here
    CommitCycle other = UpsertCycles.of(catalog, new SchemaEvolver(true), 3);
    apply(other, "c", 3, "theirs");
    other.commit();
    CountingFileIO.DATA_FILES_OPENED.clear();

    apply(task, "u", 3, "ours");
    task.commit();

    // once for its keys as the index follows the other writer's commit, once for the row
    assertEquals(List.of(2), List.copyOf(CountingFileIO.DATA_FILES_OPENED.values()));
    Table table = catalog.loadTable(ITEMS);
    assertEquals(List.of("1|ours", "3|ours"), TableRows.of(table, "id", "name"));
  }

  @Test
  void aRestartedTaskKnowsWhereTheLiveRowsAreFromItsIndexBuild() throws Exception {
    // each data file once, for the index build: no look for the rows it deletes
    List<String> rows = afterARestartOpeningEachFileOnce("u", 7, "u", 11, "three");

    assertEquals(49, rows.size());
    assertEquals(
        List.of("11|three", "7|three"),
        rows.stream().filter(row -> row.matches("(7|9|11)\\|.*")).toList());
  }

  @Test
  void aKeyLiveTwiceInTheTableIsReadForAndBothRowsGo() throws Exception {
    Table table =
        oneAndThreeThenThreeAppended(UpsertCycles.of(catalog, new SchemaEvolver(true), 3));
    CommitCycle restarted = UpsertCycles.of(catalog, new SchemaEvolver(true), 3);

    apply(restarted, "u", 3, "two");
    apply(restarted, "u", 1, "two");
    restarted.commit();

    table.refresh();
    assertEquals(List.of("1|two", "3|two"), TableRows.of(table, "id", "name"));
  }

  @Test
  void theEqualityDeletesOfTheTableApplyToWhereTheLiveRowsAre() throws Exception {
    CommitCycle byEquality = UpsertCycles.byEquality(catalog); // format v2: a delete per key
    apply(byEquality, "c", 1, "one");
    apply(byEquality, "c", 3, "one");
    byEquality.commit();
    apply(byEquality, "u", 3, "two"); // its first row dead by an equality delete
    byEquality.commit();
    CommitCycle restarted = UpsertCycles.of(catalog, new SchemaEvolver(true), 2);
    CountingFileIO.DATA_FILES_OPENED.clear();

    apply(restarted, "u", 3, "three");
    apply(restarted, "u", 1, "three"); // in the file the equality delete applies to
    restarted.commit();

    // the two data files and the equality delete that applies, each once (for the index build)
    assertEquals(
        List.of(1, 1, 1), List.copyOf(CountingFileIO.DATA_FILES_OPENED.values()), "file opens");
    Table table = catalog.loadTable(ITEMS);
    assertEquals(List.of("1|three", "3|three"), TableRows.of(table, "id", "name"));
  }

  @Test
  void aCompactionHandsThePlacesOfTheRowsItMovedOn() throws Exception {
    CommitCycle task = oddKeysThenSevenUpdatedAndNineDeleted();
    Table table = catalog.loadTable(ITEMS);
    String compacted = compact(table); // as another engine would: live rows into one file
    CountingFileIO.DATA_FILES_OPENED.clear();

    apply(task, "u", 11, "two");
    task.commit();
    apply(task, "u", 13, "two");
    task.commit();

    // read once as the index follows the rewrite, not for each flush's rows
    assertEquals(Map.of(compacted, 1), CountingFileIO.DATA_FILES_OPENED);
    table.refresh();
    List<String> rows = TableRows.of(table, "id", "name");
    assertEquals(49, rows.size());
    assertEquals(
        List.of("11|two", "13|two", "7|two"),
        rows.stream().filter(row -> row.endsWith("|two")).toList());
  }

  @Test
  void aReadThatFailsWhileFollowingACompactionLosesNoKey() throws Exception {
    oddKeysThenSevenUpdatedAndNineDeleted();
    CommitCycle restarted = UpsertCycles.retrying(catalog, 3);
    apply(restarted, "u", 13, "two");
    restarted.commit(); // its index built: the places of the rows written before it started
    Table table = catalog.loadTable(ITEMS);
    CountingFileIO.FAIL_ONCE.set(compact(table)); // the places it moved are read there, and fail

    apply(restarted, "u", 11, "two"); // its place went with the compaction
    restarted.commit(); // retried: the index built afresh, not followed from half a hand-over

    assertEquals(null, CountingFileIO.FAIL_ONCE.get(), "the read failed once");
    table.refresh();
    List<String> rows = TableRows.of(table, "id", "name");
    assertEquals(
        List.of("11|two", "13|two", "7|two"),
        rows.stream().filter(row -> row.endsWith("|two")).toList());
    assertEquals(49, rows.size(), "no second row of 11");
  }

  @Test
  void aRowAnotherWriterAppendedBeforeACompactionIsNotLeftBehind() throws Exception {
    CommitCycle task = UpsertCycles.of(catalog, new SchemaEvolver(true), 3);
    Table table = oneAndThreeThenThreeAppended(task);
    compact(table); // both rows of 3 moved

    apply(task, "u", 3, "two");
    apply(task, "u", 1, "two");
    task.commit();

    table.refresh();
    assertEquals(List.of("1|two", "3|two"), TableRows.of(table, "id", "name"));
  }

  @Test
  void aKeyDeletedBeforeARestartIsInsertedAgainWithoutARead() throws Exception {
    // 9's old row is dead: the places know it is not there
    List<String> rows = afterARestartOpeningEachFileOnce("c", 9, "u", 11, "again");

    assertEquals(50, rows.size());
    assertEquals(
        List.of("11|again", "9|again"),
        rows.stream().filter(row -> row.endsWith("|again")).toList());
  }

  @Test
  void placesThatRunOutOfRoomGiveWayToFiltersAndLoseNoRow() throws Exception {
    KeyIndexes budget = new KeyIndexes(true, 2L * 16 * NumberKeyRows.MIN_SLOTS);
    CommitCycle task = UpsertCycles.withIndexes(catalog, budget);
    int fits = NumberKeyRows.MIN_SLOTS * 3 / 4;
    for (int id = 0; id < 10; id++) {
      apply(task, "c", id, "one");
    }
    task.commit(); // the places hold every key
    for (int id = 10; id <= fits + 10; id++) { // more than they have room for
      apply(task, "c", id, "one");
    }
    task.commit();
    long builds = budget.buildsOf(ITEMS.toString());

    apply(task, "u", 3, "two"); // before the room ran out
    apply(task, "u", fits, "two"); // after
    apply(task, "d", 5, null);
    apply(task, "c", fits + 20, "new");
    task.commit();

    assertEquals(builds + 1, budget.buildsOf(ITEMS.toString()), "filters built from the table");
    Table table = catalog.loadTable(ITEMS);
    List<String> rows = TableRows.of(table, "id", "name");
    assertEquals(fits + 11, rows.size());
    assertEquals(
        List.of(fits + "|two", (fits + 20) + "|new", "3|two"),
        rows.stream().filter(row -> !row.endsWith("|one")).sorted().toList());
    assertEquals(false, rows.stream().anyMatch(row -> row.startsWith("5|")));
  }

  /**
   * A task's two flushes: keys 1, 3, ..., 99 in one file, then 7 updated and 9 deleted (their rows
   * in it dead by a deletion vector). Returns the task.
   */
  private CommitCycle oddKeysThenSevenUpdatedAndNineDeleted() {
    CommitCycle task = UpsertCycles.of(catalog, new SchemaEvolver(true), 3);
    for (int id = 1; id < 100; id += 2) {
      apply(task, "c", id, "one");
    }
    task.commit();
    apply(task, "u", 7, "two");
    apply(task, "d", 9, null);
    task.commit();
    return task;
  }

  /**
   * After {@link #oddKeysThenSevenUpdatedAndNineDeleted}, a new task (a restart) commits two
   * changes in one flush, opening each of the two data files once (for its index build, none for
   * the rows it deletes); returns the table's rows.
   */
  private List<String> afterARestartOpeningEachFileOnce(
      String op, int id, String nextOp, int nextId, String name) throws Exception {
    oddKeysThenSevenUpdatedAndNineDeleted();
    CommitCycle restarted = UpsertCycles.of(catalog, new SchemaEvolver(true), 3);
    CountingFileIO.DATA_FILES_OPENED.clear();
    apply(restarted, op, id, name);
    apply(restarted, nextOp, nextId, name);
    restarted.commit();
    assertEquals(
        List.of(1, 1), List.copyOf(CountingFileIO.DATA_FILES_OPENED.values()), "data file opens");
    return TableRows.of(catalog.loadTable(ITEMS), "id", "name");
  }

  /** Rewrites the whole table's live rows into one data file; returns its location. */
  private static String compact(Table table) throws Exception {
    DataWriter<Record> writer = dataWriter(table, "compacted.parquet");
    try (writer;
        CloseableIterable<Record> live = IcebergGenerics.read(table).build()) {
      live.forEach(writer::write);
    }
    RewriteFiles rewrite =
        table.newRewrite().validateFromSnapshot(table.currentSnapshot().snapshotId());
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      for (FileScanTask task : tasks) {
        rewrite.deleteFile(task.file());
        task.deletes().forEach(rewrite::deleteFile);
      }
    }
    rewrite.addFile(writer.toDataFile()).commit();
    return writer.toDataFile().location();
  }

  /** Keys 1 and 3 committed by {@code task}, then 3 appended by another writer: live twice. */
  private Table oneAndThreeThenThreeAppended(CommitCycle task) throws Exception {
    apply(task, "c", 1, "one");
    apply(task, "c", 3, "one");
    task.commit();
    Table table = catalog.loadTable(ITEMS);
    appendRow(table, 3, "appended");
    return table;
  }

  /** A row appended as a writer that deletes nothing would (Apache's sink, a batch job). */
  private static void appendRow(Table table, int id, String name) throws Exception {
    GenericRecord row = GenericRecord.create(table.schema());
    row.setField("id", id);
    row.setField("name", name);
    DataWriter<Record> writer = dataWriter(table, "appended.parquet");
    try (writer) {
      writer.write(row);
    }
    table.newAppend().appendFile(writer.toDataFile()).commit();
  }

  /** A Parquet data file of the table's schema, written as another engine would. */
  private static DataWriter<Record> dataWriter(Table table, String name) throws Exception {
    return Parquet.writeData(
            table.io().newOutputFile(table.locationProvider().newDataLocation(name)))
        .schema(table.schema())
        .createWriterFunc(GenericParquetWriter::create)
        .withSpec(table.spec())
        .build();
  }

  private void apply(CommitCycle task, String op, int id, String name) {
    long at = offset++;
    task.apply(parse(record(op, id, name, 0, at, 100 + at)));
  }

  /**
   * Hadoop's file IO, counting the Parquet files (data, equality deletes) opened by location; the
   * next open of the file at {@link #FAIL_ONCE} fails (a passing object store error).
   */
  public static final class CountingFileIO extends HadoopFileIO {
    static final Map<String, Integer> DATA_FILES_OPENED = new ConcurrentHashMap<>();
    static final java.util.concurrent.atomic.AtomicReference<String> FAIL_ONCE =
        new java.util.concurrent.atomic.AtomicReference<>();

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
      String failing = FAIL_ONCE.get();
      if (path.equals(failing) && FAIL_ONCE.compareAndSet(failing, null)) {
        throw new org.apache.iceberg.exceptions.RuntimeIOException("injected: %s", path);
      }
      if (path.contains("/data/") && path.endsWith(".parquet")) {
        DATA_FILES_OPENED.merge(path, 1, Integer::sum);
      }
    }
  }
}
