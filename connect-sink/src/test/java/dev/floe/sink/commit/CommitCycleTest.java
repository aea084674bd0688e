package dev.floe.sink.commit;

import static dev.floe.sink.event.ChangeEvents.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.floe.sink.event.ChangeEvents;
import dev.floe.sink.route.TableProvisioner;
import dev.floe.sink.route.TableRouter;
import dev.floe.sink.write.TableWriters;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Exactly-once across task restarts and replays, and the fence against a stale task. */
class CommitCycleTest {
  private static final TopicPartition TP = new TopicPartition("it.public.items", 0);
  private InMemoryCatalog catalog;

  @BeforeEach
  void catalog() {
    catalog = new InMemoryCatalog();
    catalog.initialize("mem", Map.of());
  }

  private CommitCycle task() {
    TableWriters writers =
        new TableWriters(new TableRouter("cdc"), new TableProvisioner(catalog, true, 2), 1);
    return CommitCycleBuilder.of(writers, "sink").flushMaxRecords(1_000).build();
  }

  private Table table() {
    return catalog.loadTable(TableIdentifier.of("cdc", "public_items"));
  }

  @Test
  void aRestartedTaskSkipsWhatTheTableAlreadyHolds() throws Exception {
    CommitCycle first = task();
    first.apply(event("c", 1, "a", 0));
    first.apply(event("c", 2, "b", 1));
    first.apply(event("u", 1, "a2", 2));
    first.commit();
    assertEquals(Map.of(TP, new OffsetAndMetadata(3)), first.safeOffsets());

    // a new task (after a crash before Connect committed offsets) is handed everything again
    CommitCycle restarted = task();
    restarted.apply(event("c", 1, "a", 0));
    restarted.apply(event("c", 2, "b", 1));
    restarted.apply(event("u", 1, "a2", 2));
    restarted.apply(event("d", 2, null, 3));
    restarted.commit();

    assertEquals(Map.of(1, "a2"), rows());
    List<String> events = eventsPerSnapshot();
    assertEquals(List.of("3", "1"), events, "the replayed records were not written again");
    assertEquals(Map.of(TP, new OffsetAndMetadata(4)), restarted.safeOffsets());
  }

  @Test
  void aFullReplayChangesNothing() throws Exception {
    CommitCycle task = task();
    for (int i = 0; i < 10; i++) {
      task.apply(event(i % 3 == 2 ? "d" : "c", i % 4, "v" + i, i));
    }
    task.commit();
    Map<Integer, String> before = rows();
    long snapshots = table().snapshots().spliterator().estimateSize();

    CommitCycle replay = task();
    for (int i = 0; i < 10; i++) {
      replay.apply(event(i % 3 == 2 ? "d" : "c", i % 4, "v" + i, i));
    }
    replay.commit();
    assertEquals(before, rows());
    assertEquals(snapshots, table().snapshots().spliterator().estimateSize());
  }

  @Test
  void aTruncateEmptiesTheTableInOrderAndIsNotReplayed() throws Exception {
    CommitCycle task = task();
    task.apply(event("c", 1, "a", 0));
    task.apply(event("c", 2, "b", 1));
    task.apply(ChangeEvents.truncate(2));
    task.apply(event("c", 3, "c", 3));
    task.apply(event("c", 1, "a again", 4));
    task.commit();
    assertEquals(Map.of(1, "a again", 3, "c"), rows());

    CommitCycle replay = task();
    replay.apply(event("c", 1, "a", 0));
    replay.apply(event("c", 2, "b", 1));
    replay.apply(ChangeEvents.truncate(2));
    replay.apply(event("c", 3, "c", 3));
    replay.apply(event("c", 1, "a again", 4));
    replay.commit();
    assertEquals(Map.of(1, "a again", 3, "c"), rows());
  }

  @Test
  void wideRowsFlushEarlyWhenTheByteBoundIsReached() throws Exception {
    TableWriters writers =
        new TableWriters(new TableRouter("cdc"), new TableProvisioner(catalog, true, 2), 1);
    CommitCycle task =
        CommitCycleBuilder.of(writers, "sink")
            .flushMaxRecords(1_000_000)
            .flushMaxBytes(10_000)
            .retries(new dev.floe.sink.errors.RetryBudget(0))
            .evolver(new dev.floe.sink.schema.SchemaEvolver(true))
            .build();
    String wide = "x".repeat(6_000); // about 6 KB on the heap: Latin-1 text takes a byte a char
    task.apply(event("c", 1, wide, 0));
    assertNull(table().currentSnapshot(), "under the bound: still buffered");
    task.apply(event("c", 2, wide, 1));
    assertEquals(2, rows().size(), "over the bound: written without waiting for the interval");
  }

  @Test
  void aTaskWhosePartitionMovedOnDropsItsBufferAndReadsItAgain() throws Exception {
    CommitCycle seed = task();
    seed.apply(event("c", 1, "seed", 0));
    seed.commit();

    CommitCycle late = task();
    late.apply(event("u", 1, "old", 1)); // read, not yet committed, when the partition moved

    CommitCycle owner = task();
    owner.apply(event("u", 1, "old", 1));
    owner.apply(event("u", 1, "new", 2));
    owner.commit();

    late.commit(); // would put an older state over the owner's: dropped, not committed
    assertEquals(Map.of(1, "new"), rows());
    assertEquals(Map.of(), late.safeOffsets(), "it hands Connect no offsets");
    assertEquals(Map.of(TP, 1L), late.takeReadAgain(), "what it buffered is read again");
    late.apply(event("u", 1, "old", 1)); // read again: the table holds it, skipped
    late.apply(event("u", 1, "new", 2));
    late.commit();
    assertEquals(Map.of(1, "new"), rows());
    assertEquals(List.of("1", "2"), eventsPerSnapshot(), "nothing committed twice");
  }

  private Map<Integer, String> rows() throws Exception {
    Table table = table();
    Map<Integer, String> rows = new TreeMap<>();
    try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
      for (Record r : records) {
        assertNull(rows.put((Integer) r.getField("id"), (String) r.getField("name")), "duplicate");
      }
    }
    return rows;
  }

  private List<String> eventsPerSnapshot() {
    List<String> events = new java.util.ArrayList<>();
    table()
        .snapshots()
        .forEach(s -> events.add(s.summary().get(dev.floe.sink.summary.CommitSummary.EVENTS)));
    return events;
  }
}
