package dev.floe.sink.commit;

import static dev.floe.sink.event.ChangeEvents.parse;
import static dev.floe.sink.event.ChangeEvents.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.floe.sink.maintain.MaintenanceRun;
import dev.floe.sink.maintain.MaintenanceSettings;
import dev.floe.sink.maintain.TableFiles;
import dev.floe.sink.write.TableRows;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A flush finds the rows it deletes by position before it commits; these are the commits that can
 * land in between: another task's deletion vector for the same data file (a format v3 table holds
 * one per file), and a compaction that rewrites the file. Neither loses or revives a row, and
 * neither leaves an equality delete behind.
 */
class PositionDeleteRaceTest {
  private static final TableIdentifier ITEMS = TableIdentifier.of("cdc", "public_items");
  private final InMemoryCatalog catalog = new InMemoryCatalog();
  private final AtomicReference<Runnable> race = new AtomicReference<>();

  PositionDeleteRaceTest() {
    catalog.initialize("mem", Map.of());
  }

  @ParameterizedTest(name = "format v{0}")
  @ValueSource(ints = {2, 3})
  void anotherTasksDeleteInTheSameFileLandsFirst(int formatVersion) throws Exception {
    CommitCycle loader =
        UpsertCycles.of(catalog, new dev.floe.sink.schema.SchemaEvolver(true), formatVersion);
    for (int id = 1; id <= 4; id++) {
      loader.apply(parse(record("c", id, "v" + id, 0, id - 1, id)));
    }
    loader.commit(); // keys 1-4 in one data file
    CommitCycle racing = UpsertCycles.retrying(racingCatalog(), formatVersion);
    CommitCycle other = UpsertCycles.retrying(catalog, formatVersion);
    race.set(
        () -> {
          other.apply(parse(record("u", 2, "other-task", 1, 0, 50)));
          other.commit();
        });

    racing.apply(parse(record("u", 1, "racing-task", 0, 4, 60)));
    racing.commit();

    Table table = catalog.loadTable(ITEMS);
    assertEquals(null, race.get(), "the other task committed while this one did");
    assertEquals(
        List.of("1|racing-task", "2|other-task", "3|v3", "4|v4"),
        TableRows.of(table, "id", "name"));
    TableFiles files = TableFiles.of(table, table.currentSnapshot());
    assertEquals(0, files.equalityDeleteFiles());
    assertEquals(
        1,
        files.positionDeleteFiles(),
        "one delete file (v3: deletion vector) for the shared file, both rows in it");
  }

  @ParameterizedTest(name = "format v{0}")
  @ValueSource(ints = {2, 3})
  void aCompactionRewritesTheFileTheRowsWereFoundIn(int formatVersion) throws Exception {
    CommitCycle loader =
        UpsertCycles.of(catalog, new dev.floe.sink.schema.SchemaEvolver(true), formatVersion);
    for (int id = 1; id <= 6; id++) {
      loader.apply(parse(record("c", id, "v" + id, 0, id - 1, id)));
      if (id == 3) {
        loader.commit(); // two small files: compaction merges them
      }
    }
    loader.commit();
    CommitCycle racing = UpsertCycles.retrying(racingCatalog(), formatVersion);
    race.set(
        () -> {
          Table table = catalog.loadTable(ITEMS);
          MaintenanceRun.of(table, everyTime()).run(System.currentTimeMillis());
        });

    racing.apply(parse(record("u", 1, "updated", 0, 6, 60)));
    racing.apply(parse(record("d", 5, null, 0, 7, 61)));
    racing.commit();

    Table table = catalog.loadTable(ITEMS);
    assertEquals(null, race.get());
    assertTrue(compacted(table), "the compaction landed between the flush and its commit");
    assertEquals(
        List.of("1|updated", "2|v2", "3|v3", "4|v4", "6|v6"), TableRows.of(table, "id", "name"));
    TableFiles files = TableFiles.of(table, table.currentSnapshot());
    assertEquals(0, files.equalityDeleteFiles(), "the flush found the rows again, in the new file");
    assertEquals(2, files.tasks().size(), "the compacted file and the flush's own");
    assertEquals(1, files.positionDeleteFiles());
  }

  private static boolean compacted(Table table) {
    List<String> operations = new ArrayList<>();
    for (Snapshot snapshot : table.snapshots()) {
      operations.add(snapshot.summary().getOrDefault("floe.maintenance", ""));
    }
    return operations.contains("compaction");
  }

  private static MaintenanceSettings everyTime() {
    return new MaintenanceSettings(
        true, 1_000, true, 1, 2, Long.MAX_VALUE, false, 60_000, 1, false, 50);
  }

  /** The catalog, whose tables run the armed race (once) when a row delta is started on them. */
  private Catalog racingCatalog() {
    return (Catalog)
        Proxy.newProxyInstance(
            Catalog.class.getClassLoader(),
            new Class<?>[] {Catalog.class},
            (proxy, method, args) -> {
              Object result = invoke(catalog, method, args);
              return result instanceof Table table ? racing(table) : result;
            });
  }

  private Table racing(Table table) {
    return (Table)
        Proxy.newProxyInstance(
            Table.class.getClassLoader(),
            new Class<?>[] {Table.class, org.apache.iceberg.HasTableOperations.class},
            (proxy, method, args) -> {
              if (method.getName().equals("newRowDelta")) {
                Runnable armed = race.getAndSet(null);
                if (armed != null) {
                  armed.run();
                }
              }
              return invoke(table, method, args);
            });
  }

  private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args)
      throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
