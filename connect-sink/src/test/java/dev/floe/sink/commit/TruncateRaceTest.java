package dev.floe.sink.commit;

import static dev.floe.sink.event.ChangeEvents.parse;
import static dev.floe.sink.event.ChangeEvents.record;
import static dev.floe.sink.event.ChangeEvents.truncate;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.floe.sink.schema.SchemaEvolver;
import dev.floe.sink.write.TableRows;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.junit.jupiter.api.Test;

/**
 * A TRUNCATE that races another task's commit removes what it saw, not what landed meanwhile: the
 * other task's rows, committed between the truncate's look at the table and its commit, stay.
 */
class TruncateRaceTest {
  private static final TableIdentifier ITEMS = TableIdentifier.of("cdc", "public_items");

  @Test
  void aTruncateKeepsRowsAnotherTaskCommittedWhileItWasUnderWay() throws Exception {
    InMemoryCatalog catalog = new InMemoryCatalog();
    catalog.initialize("mem", Map.of());
    CommitCycle truncating = UpsertCycles.of(catalog, new SchemaEvolver(true));
    CommitCycle other = UpsertCycles.of(catalog, new SchemaEvolver(true));
    truncating.apply(parse(record("c", 1, "before", 0, 0, 100)));
    truncating.apply(parse(record("c", 2, "before", 0, 1, 101)));
    truncating.commit();
    other.apply(parse(record("c", 3, "before", 1, 0, 102)));
    other.commit();

    // the other task commits a row after the truncate looked at the table, before it commits
    AtomicBoolean raced = new AtomicBoolean();
    Table racing =
        racingTable(
            catalog.loadTable(ITEMS),
            () -> {
              if (raced.compareAndSet(false, true)) {
                other.apply(parse(record("c", 4, "after", 1, 1, 300)));
                other.commit();
              }
            });
    new SnapshotCommitter("sink", new AppliedOffsets("sink")).truncate(racing, truncate(2));

    assertEquals(true, raced.get());
    assertEquals(List.of("4|after"), TableRows.of(catalog.loadTable(ITEMS), "id", "name"));
  }

  /** {@code table}, running {@code race} each time a row delta is started on it. */
  private static Table racingTable(Table table, Runnable race) {
    return (Table)
        Proxy.newProxyInstance(
            Table.class.getClassLoader(),
            new Class<?>[] {Table.class},
            (proxy, method, args) -> {
              if (method.getName().equals("newRowDelta")) {
                race.run();
              }
              try {
                return method.invoke(table, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }
}
