package dev.floe.sink.index;

import static dev.floe.sink.event.ChangeEvents.parse;
import static dev.floe.sink.event.ChangeEvents.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.floe.sink.commit.CommitCycle;
import dev.floe.sink.commit.CommitCycleBuilder;
import dev.floe.sink.commit.UpsertCycles;
import dev.floe.sink.route.TableProvisioner;
import dev.floe.sink.route.TableRouter;
import dev.floe.sink.write.TableRows;
import dev.floe.sink.write.TableWriters;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.junit.jupiter.api.Test;

/**
 * The key index spares the equality delete of keys the table certainly does not hold, and never at
 * the price of a row living twice: not after a restart, not for a key another task wrote, not when
 * another task commits the same new key while this one commits.
 */
class KeyIndexTest {
  private static final TableIdentifier ITEMS = TableIdentifier.of("cdc", "public_items");
  private final RacingCatalog catalog = new RacingCatalog();
  private long offset0;
  private long offset1;

  KeyIndexTest() {
    catalog.initialize("mem", Map.of());
  }

  @Test
  void insertsOfNewKeysWriteNoEqualityDelete() throws Exception {
    CommitCycle task = task();
    for (int flush = 0; flush < 3; flush++) {
      for (int i = 0; i < 10; i++) {
        int id = flush * 10 + i;
        task.apply(parse(record("c", id, "v" + id, 0, offset0++, offset0)));
      }
      task.commit();
    }
    assertEquals(0, deleteFiles(), "an append-only stream leaves readers nothing to join");
    assertEquals(30, TableRows.of(table(), "id").size());
  }

  @Test
  void updatesAndDeletesOfEarlierKeysStillDeleteTheOldRow() throws Exception {
    CommitCycle task = task();
    task.apply(parse(record("c", 1, "one", 0, offset0++, 1)));
    task.apply(parse(record("c", 2, "two", 0, offset0++, 2)));
    task.commit();
    task.apply(parse(record("u", 1, "uno", 0, offset0++, 3)));
    task.apply(parse(record("d", 2, null, 0, offset0++, 4)));
    task.apply(parse(record("c", 3, "three", 0, offset0++, 5)));
    task.commit();
    assertEquals(List.of("1|uno", "3|three"), TableRows.of(table(), "id", "name"));
    assertEquals(0, deleteFiles(), "the old rows are found, not deleted by key");
    Table table = table();
    assertEquals(
        1,
        dev.floe.sink.maintain.TableFiles.of(table, table.currentSnapshot()).positionDeleteFiles(),
        "the second flush deletes the rows of keys 1 and 2 (not 3) in the first flush's file");
  }

  @Test
  void aRestartedTaskKnowsTheKeysFromTheTable() throws Exception {
    CommitCycle before = task();
    before.apply(parse(record("c", 1, "one", 0, offset0++, 1)));
    before.commit();
    CommitCycle after = task(); // a new task: its index is built from the table
    after.apply(parse(record("u", 1, "uno", 0, offset0++, 2)));
    after.commit();
    assertEquals(List.of("1|uno"), TableRows.of(table(), "id", "name"));
  }

  @Test
  void aKeyAnotherTaskCommittedIsDeletedFirst() throws Exception {
    CommitCycle first = task();
    CommitCycle second = task();
    second.apply(parse(record("c", 100, "x", 1, offset1++, 1)));
    second.commit(); // its index is in step with the table now
    first.apply(parse(record("c", 7, "first", 0, offset0++, 2)));
    first.commit();
    // the same key from another source table routed here (shards): the other task wrote it
    second.apply(parse(record("c", 7, "second", 1, offset1++, 3)));
    second.commit();
    assertEquals(List.of("100|x", "7|second"), TableRows.of(table(), "id", "name"));
  }

  @Test
  void aNewKeyCommittedByAnotherTaskMeanwhileMakesTheFlushBeWrittenAgain() throws Exception {
    CommitCycle first = task();
    first.apply(parse(record("c", 100, "x", 0, offset0++, 1)));
    first.commit();
    catalog.racing = true; // the second task's table runs the race below at its next commit
    CommitCycle second = task();
    second.apply(parse(record("c", 7, "second", 1, offset1++, 3)));
    catalog.race =
        () -> {
          first.apply(parse(record("c", 7, "first", 0, offset0++, 2)));
          first.commit();
        };
    second.commit();
    assertEquals(List.of("100|x", "7|second"), TableRows.of(table(), "id", "name"));
    int rewrites = 0;
    for (Snapshot snapshot : table().snapshots()) {
      rewrites += snapshot.summary().containsKey("floe.kafka.next-offsets") ? 1 : 0;
    }
    assertTrue(rewrites == 3, "three commits, the second task's once: " + rewrites);
  }

  @Test
  void aTableWhoseIndexWouldNotFitKeepsItsDeletes() throws Exception {
    TableWriters writers =
        new TableWriters(
            new TableRouter("cdc"),
            new TableProvisioner(catalog, true, 2),
            dev.floe.sink.write.WriteMode.UPSERT,
            table -> Map.of(),
            dev.floe.sink.fill.FillSettings.DEFAULT,
            new KeyIndexes(true, 1_000, false), // smaller than any filter, rows not found
            1);
    CommitCycle task = CommitCycleBuilder.of(writers, "sink").flushMaxRecords(1_000).build();
    task.apply(parse(record("c", 1, "one", 0, offset0++, 1)));
    task.commit();
    task.apply(parse(record("c", 2, "two", 0, offset0++, 2)));
    task.commit();
    assertEquals(2, deleteFiles(), "without an index every key written is deleted first");
    assertEquals(List.of("1|one", "2|two"), TableRows.of(table(), "id", "name"));
  }

  /** Equality delete files the table holds, whether or not they still apply to a data file. */
  private int deleteFiles() {
    Table table = table();
    return dev.floe.sink.maintain.TableFiles.of(table, table.currentSnapshot())
        .equalityDeleteFiles();
  }

  private Table table() {
    return catalog.loadTable(ITEMS);
  }

  private CommitCycle task() {
    return UpsertCycles.retrying(catalog);
  }

  /** A catalog whose tables, once racing, run {@code race} once when a row delta starts. */
  static final class RacingCatalog extends InMemoryCatalog {
    volatile boolean racing;
    volatile Runnable race;

    @Override
    public Table loadTable(TableIdentifier id) {
      Table table = super.loadTable(id);
      if (!racing) {
        return table;
      }
      racing = false;
      return (Table)
          Proxy.newProxyInstance(
              Table.class.getClassLoader(),
              new Class<?>[] {Table.class, org.apache.iceberg.HasTableOperations.class},
              (proxy, method, args) -> {
                Runnable once = race;
                if (method.getName().equals("newRowDelta") && once != null) {
                  race = null;
                  once.run();
                }
                try {
                  return method.invoke(table, args);
                } catch (InvocationTargetException e) {
                  throw e.getCause();
                }
              });
    }
  }
}
