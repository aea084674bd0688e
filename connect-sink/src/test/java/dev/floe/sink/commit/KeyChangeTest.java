package dev.floe.sink.commit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.floe.common.debezium.Operation;
import dev.floe.sink.event.ChangeEvent;
import dev.floe.sink.event.RecordCoordinates;
import dev.floe.sink.event.SourcePosition;
import dev.floe.sink.schema.SchemaEvolver;
import dev.floe.sink.schema.TableKey;
import dev.floe.sink.write.TableRows;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

/** A Postgres primary key change: the table follows the new key, late old-key changes still fit. */
class KeyChangeTest {
  private static final Schema ROW =
      SchemaBuilder.struct()
          .optional()
          .field("id", Schema.INT32_SCHEMA)
          .field("region", Schema.OPTIONAL_STRING_SCHEMA)
          .field("qty", Schema.OPTIONAL_INT32_SCHEMA)
          .build();
  private static final Schema OLD_KEY =
      SchemaBuilder.struct().field("id", Schema.INT32_SCHEMA).build();
  private static final Schema NEW_KEY =
      SchemaBuilder.struct()
          .field("id", Schema.INT32_SCHEMA)
          .field("region", Schema.STRING_SCHEMA)
          .build();
  private final InMemoryCatalog catalog = new InMemoryCatalog();
  private long offset;

  private CommitCycle task() {
    catalog.initialize("mem", Map.of());
    return UpsertCycles.of(catalog, new SchemaEvolver(true));
  }

  /** A change at source time {@code ms}, keyed the old way (id) or the new way (id, region). */
  private ChangeEvent change(
      Operation op, boolean newKey, long ms, int id, String region, Integer qty) {
    Struct key =
        newKey
            ? new Struct(NEW_KEY).put("id", id).put("region", region)
            : new Struct(OLD_KEY).put("id", id);
    Struct row = new Struct(ROW).put("id", id);
    if (op != Operation.DELETE || region != null) {
      row.put("region", region).put("qty", qty);
    }
    return new ChangeEvent(
        op,
        "public",
        "items",
        key,
        ROW,
        row,
        new SourcePosition(ms, ms),
        new RecordCoordinates("t.public.items", 0, offset++));
  }

  @Test
  void theNewKeyBecomesTheIdentifierFieldsAndLateOldKeyChangesStillLand() throws Exception {
    CommitCycle task = task();
    task.apply(change(Operation.CREATE, false, 10, 1, "eu", 1));
    task.apply(change(Operation.CREATE, false, 11, 2, "us", 2));
    task.commit();

    // ALTER TABLE items DROP CONSTRAINT items_pkey, ADD PRIMARY KEY (id, region)
    task.apply(change(Operation.CREATE, true, 20, 1, "us", 3));
    task.apply(change(Operation.DELETE, true, 21, 1, "eu", null));
    task.commit();
    assertEquals(Set.of("id", "region"), identifierFields());
    assertEquals("20", table().properties().get(TableKey.SINCE_MS));
    assertEquals(List.of("1|us|3", "2|us|2"), rows());

    // a late change from another partition, made before the key changed, carries its row
    task.apply(change(Operation.UPDATE, false, 15, 2, "us", 5));
    task.commit();
    assertEquals(Set.of("id", "region"), identifierFields(), "the key does not go back");
    assertEquals(List.of("1|us|3", "2|us|5"), rows());

    // a late key-only delete cannot name one row any more: refused with the reason
    DataException e =
        assertThrows(
            DataException.class,
            () -> task.apply(change(Operation.DELETE, false, 16, 2, null, null)));
    assertTrue(e.getMessage().contains("REPLICA IDENTITY FULL"), e.getMessage());
  }

  @Test
  void aLateTombstoneOfTheOldKeyDoesNotSwitchTheKeyBack() throws Exception {
    CommitCycle task = task();
    task.apply(change(Operation.CREATE, false, 10, 1, "eu", 1));
    task.commit();
    task.apply(change(Operation.CREATE, true, 20, 1, "us", 3));
    task.commit();
    assertEquals(Set.of("id", "region"), identifierFields());

    // the tombstone that followed a delete of key 1 made before the key changed: no position
    ChangeEvent tombstone =
        new ChangeEvent(
            Operation.DELETE,
            null,
            null,
            new Struct(OLD_KEY).put("id", 1),
            null,
            null,
            SourcePosition.UNKNOWN,
            new RecordCoordinates("t.public.items", 1, 0));
    assertThrows(DataException.class, () -> task.apply(tombstone), "it names no row now");
    task.commit();
    assertEquals(Set.of("id", "region"), identifierFields(), "the key does not go back");
    assertEquals("id,region", table().properties().get(TableKey.COLUMNS));
    assertEquals(List.of("1|eu|1", "1|us|3"), rows(), "no row deleted by the old key");
  }

  @Test
  void aTaskWhoseWriterPredatesAnotherTasksKeyChangeReadsItsRecordsAgain() throws Exception {
    CommitCycle first = task();
    first.apply(change(Operation.CREATE, false, 10, 1, "eu", 1));
    first.commit();
    CommitCycle second = UpsertCycles.of(catalog, new SchemaEvolver(true));
    offset = 100; // its own partition's offsets
    ChangeEvent late = change(Operation.UPDATE, false, 15, 1, "eu", 5); // keyed the old way
    second.apply(late);

    offset = 10;
    first.apply(change(Operation.CREATE, true, 20, 1, "us", 3)); // the key becomes (id, region)
    first.commit();
    assertEquals(List.of("1|eu|1", "1|us|3"), rows());

    second.commit(); // its buffer was folded by id alone: deleting by id would remove 1|us too
    assertEquals(List.of("1|eu|1", "1|us|3"), rows());
    assertEquals(Map.of(late.coordinates().topicPartition(), 100L), second.takeReadAgain());
    offset = 100;
    second.apply(change(Operation.UPDATE, false, 15, 1, "eu", 5)); // read again: the new key
    second.commit();
    assertEquals(List.of("1|eu|5", "1|us|3"), rows());
  }

  @Test
  void aKeyColumnWithNullsInEarlierRowsLeavesTheTableWithoutIdentifierFields() throws Exception {
    CommitCycle task = task();
    task.apply(change(Operation.CREATE, false, 10, 1, null, 1));
    task.apply(change(Operation.CREATE, false, 11, 2, "us", 2));
    task.commit();

    task.apply(change(Operation.CREATE, true, 20, 2, "eu", 3));
    task.commit();
    assertEquals(Set.of(), identifierFields(), "region is null in row 1: not an identifier");
    assertEquals("id,region", table().properties().get(TableKey.COLUMNS));
    assertEquals(List.of("1|null|1", "2|eu|3", "2|us|2"), rows());

    task.apply(change(Operation.DELETE, true, 22, 2, "us", null));
    task.commit();
    assertEquals(List.of("1|null|1", "2|eu|3"), rows(), "deletes match the new key");
  }

  private Table table() {
    return catalog.loadTable(TableIdentifier.of("cdc", "public_items"));
  }

  private Set<String> identifierFields() {
    return table().schema().identifierFieldNames();
  }

  private List<String> rows() throws Exception {
    return TableRows.of(table(), "id", "region", "qty");
  }
}
