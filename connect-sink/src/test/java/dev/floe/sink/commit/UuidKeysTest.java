package dev.floe.sink.commit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.floe.sink.event.ChangeEvent;
import dev.floe.sink.event.ChangeEvents;
import dev.floe.sink.index.KeyIndexes;
import dev.floe.sink.schema.UnavailableValues;
import dev.floe.sink.write.TableRows;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.relocated.com.google.common.collect.Iterables;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A table keyed by a Postgres {@code uuid}: rows whose keys lie on both sides of the top bit share
 * a data file (random UUIDs always do), and each key's earlier row is still found, for an update
 * after a restart (no key index yet: the rows are read) and for the old row of a key change that
 * another task committed.
 */
class UuidKeysTest {
  private static final String TOAST = UnavailableValues.DEBEZIUM_DEFAULT;
  private static final Schema UUID_TEXT =
      SchemaBuilder.string().name("io.debezium.data.Uuid").version(1).build();
  private static final Schema KEY =
      SchemaBuilder.struct().name("it.public.items.Key").field("id", UUID_TEXT).build();
  private static final Schema ROW =
      SchemaBuilder.struct()
          .name("it.public.items.Value")
          .optional()
          .field("id", UUID_TEXT)
          .field("name", Schema.OPTIONAL_STRING_SCHEMA)
          .build();
  private static final Schema ENVELOPE = ChangeEvents.envelopeOf(ROW);
  // below and above the top bit: Java orders them the other way round (signed), Parquet not
  private static final String LOW = "55a54008-ad1b-3589-aa21-0d2629c1df41";
  private static final String HIGH = "9e688c58-a548-3b8e-af69-c9e1005ad0bf";
  private static final String MOVED = UUID.nameUUIDFromBytes(new byte[] {9}).toString();

  private InMemoryCatalog catalog;
  private final List<String> refused = new ArrayList<>();

  @BeforeEach
  void catalog() {
    catalog = new InMemoryCatalog();
    catalog.initialize("mem", Map.of());
  }

  @Test
  void anUpdateAfterARestartReplacesTheRowItFindsByReading() throws Exception {
    CommitCycle first = task();
    first.apply(parse(record("c", LOW, "low", 0, 0, 100)));
    first.apply(parse(record("c", HIGH, "high", 0, 1, 101)));
    first.commit();

    CommitCycle restarted = task(); // knows nothing of where the rows are
    restarted.apply(parse(record("u", LOW, "low 2", 0, 2, 102)));
    restarted.apply(parse(record("u", HIGH, TOAST, 0, 3, 103)));
    restarted.commit();
    assertEquals(List.of(LOW + "|low 2", HIGH + "|high"), rows());
    assertTrue(refused.isEmpty(), refused.toString());
  }

  @Test
  void theNewRowOfAKeyChangeTakesTheOldRowAnotherTaskCommitted() throws Exception {
    CommitCycle newKeyTask = task();
    CommitCycle oldKeyTask = task();
    String large = "large " + "-".repeat(200);
    oldKeyTask.apply(parse(record("c", LOW, large, 1, 0, 400)));
    oldKeyTask.apply(parse(record("c", HIGH, "high", 1, 1, 401)));
    oldKeyTask.commit();

    // UPDATE items SET id = MOVED WHERE id = LOW: the delete on one partition, the create on
    // another
    SinkRecord delete = record("d", LOW, null, 1, 2, 500);
    delete.headers().add("__debezium.newkey", new Struct(KEY).put("id", MOVED), KEY);
    SinkRecord create = record("c", MOVED, TOAST, 0, 0, 500);
    create
        .headers()
        .addMap(
            "__debezium.oldkey",
            Map.of("id", LOW),
            SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.STRING_SCHEMA).build());
    newKeyTask.apply(parse(create));
    newKeyTask.commitOnTime(); // waits for the old key's commit
    oldKeyTask.apply(parse(delete));
    oldKeyTask.commit();
    newKeyTask.commitOnTime();
    assertEquals(List.of(MOVED + "|" + large, HIGH + "|high"), rows()); // 5e73... first
    assertTrue(refused.isEmpty(), refused.toString());
  }

  @Test
  void aReaderFilteringOnTheUuidFindsTheRows() throws Exception {
    CommitCycle task = task();
    task.apply(parse(record("c", LOW, "low", 0, 0, 100)));
    task.apply(parse(record("c", HIGH, "high", 0, 1, 101)));
    task.commit();
    Table table = catalog.loadTable(TableIdentifier.of("cdc", "public_items"));
    for (String id : List.of(LOW, HIGH)) {
      // as a query engine on Iceberg reads it: files and row groups pruned by the filter
      try (CloseableIterable<Record> rows =
          IcebergGenerics.read(table).where(Expressions.equal("id", UUID.fromString(id))).build()) {
        assertEquals(1, Iterables.size(rows), "WHERE id = '" + id + "'");
      }
    }
  }

  @Test
  void equalityDeletesOfKeysOnBothSidesApplyToTheRowsTheyDelete() throws Exception {
    // rows deleted by key, as in a table written before the key index or without positions
    CommitCycle task = task(KeyIndexes.NONE);
    task.apply(parse(record("c", LOW, "low", 0, 0, 100)));
    task.apply(parse(record("c", HIGH, "high", 0, 1, 101)));
    task.commit();
    task.apply(parse(record("u", LOW, "low 2", 0, 2, 102)));
    task.apply(parse(record("u", HIGH, "high 2", 0, 3, 103)));
    task.commit();
    assertEquals(List.of(LOW + "|low 2", HIGH + "|high 2"), rows());
  }

  private static SinkRecord record(
      String op, String id, String name, int partition, long offset, long lsn) {
    Struct row = new Struct(ROW).put("id", id);
    return ChangeEvents.change(
        op,
        ENVELOPE,
        new Struct(KEY).put("id", id),
        op.equals("d") ? row : row.put("name", name),
        partition,
        offset,
        lsn);
  }

  private static ChangeEvent parse(SinkRecord record) {
    return ChangeEvents.parse(record);
  }

  private CommitCycle task() {
    return task(new KeyIndexes(true));
  }

  private CommitCycle task(KeyIndexes indexes) {
    return UpsertCycles.refusingTo(
        catalog,
        indexes,
        (records, reason) -> records.forEach(r -> refused.add(r.kafkaOffset() + ": " + reason)));
  }

  /** The table's rows as {@code id|name}, in key order. */
  private List<String> rows() throws Exception {
    return TableRows.of(catalog.loadTable(TableIdentifier.of("cdc", "public_items")), "id", "name")
        .stream()
        .sorted()
        .toList();
  }
}
