package dev.floe.sink.maintain;

import static dev.floe.sink.event.ChangeEvents.parse;
import static dev.floe.sink.event.ChangeEvents.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.floe.sink.commit.CommitCycle;
import dev.floe.sink.commit.UpsertCycles;
import dev.floe.sink.write.TableRows;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileContent;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.apache.iceberg.io.FileIO;
import org.junit.jupiter.api.Test;

/**
 * A compaction's rows: file after file in the order given though read ahead, with every delete
 * applied, and each equality delete file read once however many data files it applies to.
 */
class LiveRowsTest {
  private final InMemoryCatalog catalog = new InMemoryCatalog();
  private final Map<String, Integer> opened = new ConcurrentHashMap<>();

  LiveRowsTest() {
    catalog.initialize("mem", Map.of());
  }

  @Test
  void rowsComeFileByFileWithTheirDeletesAndEachDeleteFileIsReadOnce() throws Exception {
    Table table = sixFlushesWithEqualityDeletes();
    TableFiles files = TableFiles.of(table, table.currentSnapshot());
    assertTrue(files.equalityDeleteFiles() >= 5, "equality deletes: " + files.deletes().size());
    Table counted = counting(table);

    List<Integer> ids = new ArrayList<>();
    new LiveRows(counted, table.schema()).forEach(files.tasks(), row -> ids.add(id(row)));

    System.out.println(
        "OPENED "
            + opened
            + " TASKS "
            + files.tasks().stream().map(t -> t.deletes().size()).toList());
    for (DeleteFile delete : files.deletes()) {
      if (delete.content() == FileContent.EQUALITY_DELETES) {
        assertTrue(
            opened.getOrDefault(delete.location(), 0) <= 1,
            "read once, not once per data file it applies to: " + opened);
      }
    }
    List<Integer> fileByFile = new ArrayList<>();
    for (FileScanTask task : files.tasks()) {
      new LiveRows(table, table.schema()).forEach(List.of(task), row -> fileByFile.add(id(row)));
    }
    assertEquals(fileByFile, ids, "the files' order, each file's rows in its order");
    List<String> live = ids.stream().map(String::valueOf).sorted().toList();
    assertEquals(TableRows.of(table, "id"), live, "the table's live rows, each once");
  }

  /** Six flushes of ten new keys each, every flush also updating keys of earlier ones. */
  private Table sixFlushesWithEqualityDeletes() {
    // no key index: every key written is deleted by equality first
    CommitCycle task = UpsertCycles.byEquality(catalog);
    long offset = 0;
    for (int flush = 0; flush < 6; flush++) {
      for (int id = flush * 10; id < flush * 10 + 10; id++) {
        task.apply(parse(record("c", id, "v" + id, 0, offset++, offset)));
      }
      if (flush > 0) {
        // keys of the first and the last flush before: the delete file's key bounds span them all
        task.apply(parse(record("u", 3, "again", 0, offset++, offset)));
        task.apply(parse(record("u", (flush - 1) * 10 + 5, "again", 0, offset++, offset)));
      }
      task.commit();
    }
    return catalog.loadTable(TableIdentifier.of("cdc", "public_items"));
  }

  private static int id(Record row) {
    return ((Number) row.getField("id")).intValue();
  }

  /** The table, its FileIO counting the files opened by location. */
  private Table counting(Table table) {
    FileIO io = table.io();
    FileIO countingIo =
        (FileIO)
            Proxy.newProxyInstance(
                FileIO.class.getClassLoader(),
                new Class<?>[] {FileIO.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("newInputFile")) {
                    Object file = args[0];
                    String location =
                        file instanceof ContentFile<?> content ? content.location() : (String) file;
                    opened.merge(location, 1, Integer::sum);
                  }
                  return method.invoke(io, args);
                });
    return (Table)
        Proxy.newProxyInstance(
            Table.class.getClassLoader(),
            new Class<?>[] {Table.class, HasTableOperations.class},
            (proxy, method, args) ->
                method.getName().equals("io") ? countingIo : method.invoke(table, args));
  }
}
