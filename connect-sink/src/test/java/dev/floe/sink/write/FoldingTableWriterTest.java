package dev.floe.sink.write;

import static dev.floe.sink.event.ChangeEvents.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.floe.sink.commit.SnapshotCommitter;
import dev.floe.sink.route.TableProvisioner;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.apache.iceberg.FileContent;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fold by key within a flush, and one RowDelta per flush, on Iceberg's in-memory catalog. */
class FoldingTableWriterTest {
  private Table table;
  private final SnapshotCommitter committer =
      new SnapshotCommitter("test", new dev.floe.sink.commit.AppliedOffsets("test"));

  @BeforeEach
  void createTable() {
    InMemoryCatalog catalog = new InMemoryCatalog();
    catalog.initialize("mem", Map.of());
    table =
        new TableProvisioner(catalog, true, 2)
            .loadOrCreate(TableIdentifier.of("cdc", "public_items"), event("c", 1, "x", 0));
  }

  @Test
  void writesEachKeyOnceWithItsLastStateInOneSnapshot() throws Exception {
    FoldingTableWriter writer = new FoldingTableWriter(table, 1, 1);
    writer.write(event("c", 1, "one", 0));
    writer.write(event("u", 1, "one again", 1));
    writer.write(event("c", 2, "two", 2));
    writer.write(event("d", 2, null, 3)); // insert then delete in one flush: nothing is left
    writer.write(event("d", 1, null, 4));
    writer.write(event("c", 1, "one reborn", 5));
    TableFlush flush = writer.flush();
    committer.commit(flush);
    writer.committed();

    assertEquals(Map.of(1, "one reborn"), rows());
    assertEquals(6, flush.events());
    // one data row for key 1 only: the fold wrote no row twice, so no position delete was needed
    assertEquals(
        1L, Arrays.stream(flush.files().dataFiles()).mapToLong(f -> f.recordCount()).sum());
    assertEquals(
        0,
        Arrays.stream(flush.files().deleteFiles())
            .filter(f -> f.content() == FileContent.POSITION_DELETES)
            .count());
    assertEquals(1, table.snapshots().spliterator().estimateSize());
    assertEquals(
        "it.public.items/0=6",
        table.currentSnapshot().summary().get(dev.floe.sink.summary.CommitSummary.OFFSETS));
    assertEquals(
        "105",
        table.currentSnapshot().summary().get(dev.floe.sink.summary.CommitSummary.SOURCE_LSN));
    assertNull(writer.flush(), "nothing is left to flush");
  }

  @Test
  void laterFlushesReplaceAndDeleteRowsOfEarlierSnapshots() throws Exception {
    FoldingTableWriter writer = new FoldingTableWriter(table, 1, 1);
    writer.write(event("r", 1, "a", 0));
    writer.write(event("r", 2, "b", 1));
    writer.write(event("r", 3, "c", 2));
    commit(writer);
    writer.write(event("u", 1, "a2", 3));
    writer.write(event("d", 2, null, 4));
    commit(writer);
    assertEquals(Map.of(1, "a2", 3, "c"), rows());

    // replaying both flushes' events again changes nothing
    writer.write(event("r", 1, "a", 0));
    writer.write(event("r", 2, "b", 1));
    writer.write(event("r", 3, "c", 2));
    writer.write(event("u", 1, "a2", 3));
    writer.write(event("d", 2, null, 4));
    commit(writer);
    assertEquals(Map.of(1, "a2", 3, "c"), rows());
  }

  @Test
  void formatVersion3TablesTakeTheSameChanges() throws Exception {
    InMemoryCatalog catalog = new InMemoryCatalog();
    catalog.initialize("mem", Map.of());
    table =
        new TableProvisioner(catalog, true, 3)
            .loadOrCreate(TableIdentifier.of("cdc", "public_items"), event("c", 1, "x", 0));
    assertEquals(3, ((org.apache.iceberg.BaseTable) table).operations().current().formatVersion());
    FoldingTableWriter writer = new FoldingTableWriter(table, 1, 1);
    writer.write(event("c", 1, "a", 0));
    writer.write(event("c", 2, "b", 1));
    commit(writer);
    writer.write(event("u", 1, "a2", 2));
    writer.write(event("d", 2, null, 3));
    writer.write(event("c", 3, "c", 4));
    commit(writer);
    assertEquals(Map.of(1, "a2", 3, "c"), rows());
  }

  @Test
  void anUpdateThatMovesARowToAnotherPartitionLeavesNoCopyBehind() throws Exception {
    InMemoryCatalog catalog = new InMemoryCatalog();
    catalog.initialize("mem", Map.of());
    table =
        new TableProvisioner(
                catalog, true, 2, Map.of(), name -> "truncate(name, 1)", WriteMode.UPSERT)
            .loadOrCreate(TableIdentifier.of("cdc", "public_items"), event("c", 1, "x", 0));
    assertEquals(1, table.spec().fields().size(), table.spec().toString());

    FoldingTableWriter writer = new FoldingTableWriter(table, 1, 1);
    writer.write(event("c", 1, "apple", 0));
    writer.write(event("c", 2, "banana", 1));
    commit(writer);
    writer.write(event("u", 1, "cherry", 2)); // partition a -> c
    writer.write(event("d", 2, null, 3)); // a key-only delete, as with REPLICA IDENTITY DEFAULT
    commit(writer);

    assertEquals(Map.of(1, "cherry"), rows());
    table.refresh();
    table
        .currentSnapshot()
        .addedDeleteFiles(table.io())
        .forEach(d -> assertTrue(table.specs().get(d.specId()).isUnpartitioned(), "global delete"));
  }

  private void commit(FoldingTableWriter writer) {
    committer.commit(writer.flush());
    writer.committed();
  }

  private Map<Integer, String> rows() throws Exception {
    table.refresh();
    Map<Integer, String> rows = new TreeMap<>();
    try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
      for (Record r : records) {
        assertNull(
            rows.put((Integer) r.getField("id"), (String) r.getField("name")), "duplicate key");
      }
    }
    return rows;
  }
}
