package dev.floe.sink.commit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.floe.sink.event.ChangeEvent;
import dev.floe.sink.event.ChangeEventParser;
import dev.floe.sink.schema.SchemaEvolver;
import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A change the table cannot take is refused by {@code apply} as a {@link DataException} (the task
 * sends it to the dead letter topic), before anything of it is buffered: the changes around it
 * commit, and no commit fails on it later.
 */
class RefusedRowsTest {
  private static final Schema KEY =
      SchemaBuilder.struct().field("id", Schema.OPTIONAL_INT32_SCHEMA).build();
  private final InMemoryCatalog catalog = new InMemoryCatalog();
  private CommitCycle task;
  private long offset;

  @BeforeEach
  void task() {
    catalog.initialize("mem", Map.of());
    task = UpsertCycles.of(catalog, new SchemaEvolver(true));
    task.apply(upsert(1, "id", Schema.INT32_SCHEMA, 1, "name", Schema.OPTIONAL_STRING_SCHEMA, "a"));
  }

  @Test
  void aNullKeyColumnInTheRowIsRefusedBeforeItReachesAFlush() {
    DataException refused =
        assertThrows(
            DataException.class,
            () ->
                task.apply(
                    upsert(
                        2,
                        "id",
                        Schema.OPTIONAL_INT32_SCHEMA,
                        null,
                        "name",
                        Schema.OPTIONAL_STRING_SCHEMA,
                        "b")));
    assertTrue(refused.getMessage().startsWith("Key column 'id' holds null"), refused.getMessage());
    assertFlows();
  }

  @Test
  void aNewColumnNoIcebergDecimalHoldsIsRefused() {
    Schema wide =
        Decimal.builder(2).parameter("connect.decimal.precision", "39").optional().build();
    DataException refused =
        assertThrows(
            DataException.class,
            () ->
                task.apply(
                    upsert(
                        2, "id", Schema.INT32_SCHEMA, 2, "amount", wide, new BigDecimal("1.00"))));
    assertTrue(refused.getMessage().startsWith("Column 'amount' is numeric(39, 2)"));
    assertFlows();
  }

  @Test
  void aNewColumnIcebergCannotAddIsRefusedNamingTheTableAndTheChange() {
    DataException refused =
        assertThrows(
            DataException.class,
            () ->
                task.apply(
                    upsert(
                        2,
                        "id",
                        Schema.INT32_SCHEMA,
                        2,
                        "a.b",
                        Schema.OPTIONAL_STRING_SCHEMA,
                        "x")));
    assertTrue(
        refused
            .getMessage()
            .startsWith("Iceberg refused to change the schema of mem.cdc.public_items (add a.b"),
        refused.getMessage());
    assertFlows();
  }

  /** The first change and one after the refused one land, in one commit. */
  private void assertFlows() {
    task.apply(upsert(3, "id", Schema.INT32_SCHEMA, 3, "name", Schema.OPTIONAL_STRING_SCHEMA, "c"));
    task.commit();
    Map<Integer, String> rows = new TreeMap<>();
    try (CloseableIterable<Record> read =
        IcebergGenerics.read(catalog.loadTable(TableIdentifier.of("cdc", "public_items")))
            .build()) {
      read.forEach(r -> rows.put((Integer) r.getField("id"), (String) r.getField("name")));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    assertEquals(Map.of(1, "a", 3, "c"), rows);
  }

  /** An upsert keyed by {@code id} whose row has the (name, schema, value) columns given. */
  private ChangeEvent upsert(int id, Object... columns) {
    SchemaBuilder row = SchemaBuilder.struct().name("row").optional();
    for (int i = 0; i < columns.length; i += 3) {
      row.field((String) columns[i], (Schema) columns[i + 1]);
    }
    Schema rowSchema = row.build();
    Struct after = new Struct(rowSchema);
    for (int i = 0; i < columns.length; i += 3) {
      after.put((String) columns[i], columns[i + 2]);
    }
    Schema envelope =
        SchemaBuilder.struct().field("after", rowSchema).field("op", Schema.STRING_SCHEMA).build();
    return new ChangeEventParser()
        .parse(
            new SinkRecord(
                "t.public.items",
                0,
                KEY,
                new Struct(KEY).put("id", id),
                envelope,
                new Struct(envelope).put("after", after).put("op", "c"),
                offset++));
  }
}
