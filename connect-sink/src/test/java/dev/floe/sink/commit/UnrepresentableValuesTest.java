package dev.floe.sink.commit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.floe.common.debezium.ExactValueSchemas;
import dev.floe.sink.event.ChangeEvent;
import dev.floe.sink.event.ChangeEventParser;
import dev.floe.sink.route.TableProvisioner;
import dev.floe.sink.route.TableRouter;
import dev.floe.sink.schema.ChangeMetadata;
import dev.floe.sink.schema.NumericMapping;
import dev.floe.sink.schema.SchemaEvolver;
import dev.floe.sink.write.TableWriters;
import dev.floe.sink.write.WriteMode;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.apache.iceberg.types.Types;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

/**
 * No row is lost for a value its column cannot hold: unconstrained numerics map as configured
 * (exact text by default), and a value no column type holds (numeric NaN in a decimal, too many
 * digits, time 24:00:00) leaves its column null and its exact text in {@code
 * _floe_unrepresentable}.
 */
class UnrepresentableValuesTest {
  private static final Schema KEY = SchemaBuilder.struct().field("id", Schema.INT32_SCHEMA).build();
  private static final Schema FREE =
      SchemaBuilder.string().name(ExactValueSchemas.DECIMAL).optional().build();
  private static final Schema PRICE =
      SchemaBuilder.string()
          .name(ExactValueSchemas.DECIMAL)
          .parameter(ExactValueSchemas.PRECISION, "10")
          .parameter(ExactValueSchemas.SCALE, "2")
          .optional()
          .build();
  private static final Schema TIME =
      SchemaBuilder.int64().name("io.debezium.time.MicroTime").optional().build();
  private static final String TINY = "0.000000000000000000000000000001"; // 1e-30
  private static final String HUGE = "1" + "0".repeat(40); // 41 digits
  private static final String OUT_OF_DOUBLE = "1" + "0".repeat(400);

  private final InMemoryCatalog catalog = new InMemoryCatalog();
  private long offset;

  /** Tables created with {@code mapping} (null: the setting's default), evolution as given. */
  private CommitCycle task(String mapping, boolean evolve) {
    catalog.initialize("mem", Map.of());
    Map<String, String> properties =
        mapping == null ? Map.of() : Map.of(NumericMapping.TABLE_PROPERTY, mapping);
    SchemaEvolver evolver = new SchemaEvolver(evolve);
    TableWriters writers =
        new TableWriters(
            new TableRouter("cdc"),
            new TableProvisioner(catalog, true, 2, properties, t -> null, WriteMode.UPSERT),
            WriteMode.UPSERT,
            evolver::aliasesFor,
            dev.floe.sink.fill.FillSettings.DEFAULT,
            1);
    return CommitCycleBuilder.of(writers, "sink").flushMaxRecords(1_000).evolver(evolver).build();
  }

  @Test
  void byDefaultUnconstrainedNumericsAreStringsHoldingEveryValueExactly() throws Exception {
    CommitCycle task = task(null, true);
    for (String value : List.of("1.5", TINY, HUGE, "NaN", "-Infinity")) {
      task.apply(upsert((int) offset, "amount", FREE, value));
    }
    task.commit();

    assertEquals(Types.StringType.get(), table().schema().findType("amount"));
    assertNull(table().schema().findField(ChangeMetadata.UNREPRESENTABLE), "nothing to keep");
    assertEquals("string", table().properties().get(NumericMapping.TABLE_PROPERTY));
    assertEquals(
        List.of("0|1.5", "1|" + TINY, "2|" + HUGE, "3|NaN", "4|-Infinity"), rows("id", "amount"));
  }

  @Test
  void underTheDecimalMappingAValueTheDecimalCannotHoldKeepsItsRowAndItsText() throws Exception {
    CommitCycle task = task("decimal", true);
    for (String value : List.of("1.5", TINY, HUGE, "NaN", "Infinity")) {
      task.apply(upsert((int) offset, "amount", FREE, value));
    }
    task.commit();

    assertEquals(Types.DecimalType.of(38, 18), table().schema().findType("amount"));
    assertEquals(
        List.of(
            "0|1.500000000000000000|null",
            "1|null|{amount=" + TINY + "}",
            "2|null|{amount=" + HUGE + "}",
            "3|null|{amount=NaN}",
            "4|null|{amount=Infinity}"),
        rows("id", "amount", ChangeMetadata.UNREPRESENTABLE));
  }

  @Test
  void underTheDoubleMappingNanIsADoubleAndOnlyValuesBeyondItsRangeAreKeptAsText()
      throws Exception {
    CommitCycle task = task("double", true);
    for (String value : List.of("1.5", TINY, "NaN", OUT_OF_DOUBLE)) {
      task.apply(upsert((int) offset, "amount", FREE, value));
    }
    task.commit();

    assertEquals(Types.DoubleType.get(), table().schema().findType("amount"));
    assertEquals(
        List.of(
            "0|1.5|null", "1|1.0E-30|null", "2|NaN|null", "3|null|{amount=" + OUT_OF_DOUBLE + "}"),
        rows("id", "amount", ChangeMetadata.UNREPRESENTABLE));
  }

  @Test
  void aConstrainedNumericNanAndTime2400KeepTheirRowsWithTheirText() throws Exception {
    CommitCycle task = task(null, true);
    task.apply(upsert(1, "price", PRICE, "12.50", "opens", TIME, 8 * 3_600_000_000L));
    task.apply(upsert(2, "price", PRICE, "NaN", "opens", TIME, 24 * 3_600_000_000L));
    task.commit();

    assertEquals(
        List.of("1|12.50|08:00|null", "2|null|null|{opens=24:00:00, price=NaN}"),
        rows("id", "price", "opens", ChangeMetadata.UNREPRESENTABLE));
  }

  @Test
  void anExistingDecimalColumnKeepsItsTypeWhenTheMappingIsString() throws Exception {
    // created before the mapping was configurable: decimal(38,18), no table property, no map
    catalog.initialize("mem", Map.of());
    catalog.createNamespace(Namespace.of("cdc"));
    catalog.createTable(
        TableIdentifier.of("cdc", "public_items"),
        new org.apache.iceberg.Schema(
            List.of(
                Types.NestedField.required(1, "id", Types.IntegerType.get()),
                Types.NestedField.optional(2, "amount", Types.DecimalType.of(38, 18))),
            java.util.Set.of(1)),
        PartitionSpec.unpartitioned(),
        Map.of("format-version", "2"));
    CommitCycle task = task(null, true);
    task.apply(upsert(1, "amount", FREE, "2.25"));
    task.apply(upsert(2, "amount", FREE, "NaN"));
    // an unconstrained numeric column added later follows the table's mapping, not the setting
    task.apply(upsert(3, "amount", FREE, "1", "fee", FREE, TINY));
    task.commit();

    assertEquals(Types.DecimalType.of(38, 18), table().schema().findType("amount"));
    assertEquals(Types.DecimalType.of(38, 18), table().schema().findType("fee"));
    assertEquals(
        List.of(
            "1|2.250000000000000000|null|null",
            "2|null|null|{amount=NaN}",
            "3|1.000000000000000000|null|{fee=" + TINY + "}"),
        rows("id", "amount", "fee", ChangeMetadata.UNREPRESENTABLE));
  }

  @Test
  void aTableWhoseMappingChangesKeepsItsColumnsAndMapsNewOnesTheNewWay() throws Exception {
    CommitCycle task = task("decimal", true);
    task.apply(upsert(1, "amount", FREE, "2.25"));
    task.commit();
    table().updateProperties().set(NumericMapping.TABLE_PROPERTY, "string").commit();

    CommitCycle restarted = task("decimal", true); // the table's property decides, not the setting
    restarted.apply(upsert(2, "amount", FREE, "NaN", "fee", FREE, TINY));
    restarted.commit();

    assertEquals(Types.DecimalType.of(38, 18), table().schema().findType("amount"));
    assertEquals(Types.StringType.get(), table().schema().findType("fee"));
    assertEquals(
        List.of("1|2.250000000000000000|null|null", "2|null|" + TINY + "|{amount=NaN}"),
        rows("id", "amount", "fee", ChangeMetadata.UNREPRESENTABLE));
  }

  @Test
  void withEvolutionOffATableWithoutTheMapRefusesOnlyTheRowsItCannotHold() throws Exception {
    CommitCycle creating = task("decimal", false);
    catalog.createNamespace(Namespace.of("cdc"));
    catalog.createTable(
        TableIdentifier.of("cdc", "public_items"),
        new org.apache.iceberg.Schema(
            List.of(
                Types.NestedField.required(1, "id", Types.IntegerType.get()),
                Types.NestedField.optional(2, "amount", Types.DecimalType.of(38, 18))),
            java.util.Set.of(1)),
        PartitionSpec.unpartitioned(),
        Map.of("format-version", "2"));
    creating.apply(upsert(1, "amount", FREE, "2.25"));
    DataException refused =
        assertThrows(DataException.class, () -> creating.apply(upsert(2, "amount", FREE, "NaN")));
    assertTrue(refused.getMessage().contains("'amount'"), refused.getMessage());
    assertTrue(refused.getMessage().contains(ChangeMetadata.UNREPRESENTABLE), refused.getMessage());
    creating.commit();
    assertEquals(List.of("1|2.250000000000000000"), rows("id", "amount"));
  }

  @Test
  void aKeyColumnMustHoldItsValue() {
    CommitCycle task = task("decimal", true);
    Schema key = SchemaBuilder.struct().field("code", FREE).build();
    Schema row = SchemaBuilder.struct().name("row").optional().field("code", FREE).build();
    Schema envelope =
        SchemaBuilder.struct().field("after", row).field("op", Schema.STRING_SCHEMA).build();
    ChangeEvent nan =
        new ChangeEventParser()
            .parse(
                new SinkRecord(
                    "t.public.items",
                    0,
                    key,
                    new Struct(key).put("code", "NaN"),
                    envelope,
                    new Struct(envelope)
                        .put("after", new Struct(row).put("code", "NaN"))
                        .put("op", "c"),
                    offset++));
    assertThrows(DataException.class, () -> task.apply(nan));
  }

  /** An upsert of {@code id} whose row has the given (name, schema, value) columns besides id. */
  private ChangeEvent upsert(int id, Object... columns) {
    SchemaBuilder row =
        SchemaBuilder.struct().name("row").optional().field("id", Schema.INT32_SCHEMA);
    for (int i = 0; i < columns.length; i += 3) {
      row.field((String) columns[i], (Schema) columns[i + 1]);
    }
    Schema rowSchema = row.build();
    Struct after = new Struct(rowSchema).put("id", id);
    for (int i = 0; i < columns.length; i += 3) {
      after.put((String) columns[i], columns[i + 2]);
    }
    Schema envelope =
        SchemaBuilder.struct().field("after", rowSchema).field("op", Schema.STRING_SCHEMA).build();
    Struct value = new Struct(envelope).put("after", after).put("op", "u");
    return new ChangeEventParser()
        .parse(
            new SinkRecord(
                "t.public.items",
                0,
                KEY,
                new Struct(KEY).put("id", id),
                envelope,
                value,
                offset++));
  }

  private Table table() {
    return catalog.loadTable(TableIdentifier.of("cdc", "public_items"));
  }

  private List<String> rows(String... columns) throws Exception {
    return dev.floe.sink.write.TableRows.of(table(), columns);
  }
}
