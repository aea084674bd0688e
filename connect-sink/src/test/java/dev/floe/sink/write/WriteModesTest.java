package dev.floe.sink.write;

import static dev.floe.sink.event.ChangeEvents.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.floe.sink.commit.CommitCycle;
import dev.floe.sink.commit.CommitCycleBuilder;
import dev.floe.sink.route.TableProvisioner;
import dev.floe.sink.route.TableRouter;
import dev.floe.sink.schema.ChangeMetadata;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.junit.jupiter.api.Test;

/** Soft deletes keep deleted rows with a marker; a changelog keeps every change, once. */
class WriteModesTest {
  private final InMemoryCatalog catalog = new InMemoryCatalog();

  private CommitCycle task(WriteMode mode) {
    catalog.initialize("mem", Map.of());
    TableWriters writers =
        new TableWriters(
            new TableRouter("cdc"),
            new TableProvisioner(catalog, true, 2, Map.of(), t -> null, mode),
            mode,
            t -> Map.of(),
            dev.floe.sink.fill.FillSettings.DEFAULT,
            1);
    return CommitCycleBuilder.of(writers, "sink").flushMaxRecords(1_000).build();
  }

  @Test
  void softDeletesKeepTheRowMarkedDeletedWithItsLastState() throws Exception {
    CommitCycle task = task(WriteMode.SOFT_DELETE);
    task.apply(event("c", 1, "one", 0));
    task.apply(event("c", 2, "two", 1));
    task.commit();
    task.apply(event("d", 2, null, 2)); // a key-only before-image: the rest comes from the table
    task.apply(event("d", 1, null, 3));
    task.apply(event("c", 1, "one again", 4));
    task.commit();

    List<String> rows = rows("id", "name", ChangeMetadata.DELETED, ChangeMetadata.OP);
    assertEquals(List.of("1|one again|false|c", "2|two|true|d"), rows);
  }

  @Test
  void aChangelogKeepsEveryChangeOnceEvenWhenReplayed() throws Exception {
    CommitCycle task = task(WriteMode.CHANGELOG);
    task.apply(event("c", 1, "one", 0));
    task.apply(event("u", 1, "uno", 1));
    task.apply(event("d", 1, null, 2)); // key-only: the row is completed from the change before
    task.commit();
    task.apply(event("u", 1, "uno", 1)); // a replay after a crash: skipped by its offset
    task.apply(event("c", 1, "back", 3));
    task.commit();

    List<String> rows = rows(ChangeMetadata.KAFKA_OFFSET, "name", ChangeMetadata.OP);
    assertEquals(List.of("0|one|c", "1|uno|u", "2|uno|d", "3|back|c"), rows);
    Table table = catalog.loadTable(TableIdentifier.of("cdc", "public_items"));
    assertTrue(table.schema().identifierFieldIds().isEmpty(), "many rows per key");
  }

  private List<String> rows(String... columns) throws Exception {
    return TableRows.of(catalog.loadTable(TableIdentifier.of("cdc", "public_items")), columns);
  }
}
