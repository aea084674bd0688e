package dev.floe.sink.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.types.Types.NestedField;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

/**
 * Values the table cannot take are refused as the row is converted, naming the column: the record
 * is at fault, and nothing that would fail only when the flush is written gets into the buffer.
 */
class RowConverterTest {
  private static final org.apache.kafka.connect.data.Schema POINT =
      SchemaBuilder.struct()
          .optional()
          .field("x", org.apache.kafka.connect.data.Schema.OPTIONAL_FLOAT64_SCHEMA)
          .build();
  private static final org.apache.kafka.connect.data.Schema ROW =
      SchemaBuilder.struct()
          .field("id", org.apache.kafka.connect.data.Schema.OPTIONAL_INT32_SCHEMA)
          .field("ref", SchemaBuilder.string().name(TypeMapping.DBZ_UUID).optional().build())
          .field("code", org.apache.kafka.connect.data.Schema.OPTIONAL_STRING_SCHEMA)
          .field("at", POINT)
          .field(
              "tags",
              SchemaBuilder.array(org.apache.kafka.connect.data.Schema.OPTIONAL_STRING_SCHEMA)
                  .optional()
                  .build())
          .build();

  /** As a table created by hand may be: a required column outside the key, required nesting. */
  private static final Schema TABLE =
      new Schema(
          Arrays.asList(
              NestedField.required(1, "id", Types.IntegerType.get()),
              NestedField.optional(2, "ref", Types.UUIDType.get()),
              NestedField.required(3, "code", Types.StringType.get()),
              NestedField.optional(
                  4,
                  "at",
                  Types.StructType.of(
                      NestedField.required(5, "x", Types.DoubleType.get()),
                      NestedField.required(6, "y", Types.DoubleType.get()))),
              NestedField.optional(
                  7, "tags", Types.ListType.ofRequired(8, Types.StringType.get()))),
          Set.of(1));

  private final RowConverter rows = new RowConverter(TABLE);

  private static Struct row() {
    return new Struct(ROW).put("id", 1).put("code", "a");
  }

  @Test
  void anInvalidUuidIsRefusedNamingTheColumn() {
    DataException refused =
        assertThrows(DataException.class, () -> rows.toRecord(row().put("ref", "not-a-uuid")));
    assertTrue(refused.getMessage().startsWith("Column 'ref': cannot hold not-a-uuid as uuid"));
    assertEquals(
        java.util.UUID.fromString("6f1c3b1e-1a2b-4c3d-8e9f-0a1b2c3d4e5f"),
        rows.toRecord(row().put("ref", "6f1c3b1e-1a2b-4c3d-8e9f-0a1b2c3d4e5f")).getField("ref"));
  }

  @Test
  void aNullInARequiredOrKeyColumnIsRefusedNamingTheColumn() {
    assertRefused(row().put("code", null), "Column 'code' is required");
    assertRefused(row().put("id", null), "Key column 'id' holds null");
    assertRefused(row().put("at", new Struct(POINT).put("x", 1.0)), "Column 'at.y' is required");
    assertRefused(row().put("tags", Arrays.asList("a", null)), "Column 'tags[]' is required");
    Record fine = rows.toRecord(row().put("tags", Arrays.asList("a", "b")));
    assertEquals("a", fine.getField("code"));
  }

  @Test
  void aNullKeyColumnIsRefused() {
    Schema key = TABLE.select("id");
    Struct nullKey =
        new Struct(SchemaBuilder.struct().field("id", ROW.field("id").schema()).build());
    assertRefused(() -> RowConverter.forKeys(key).toKey(nullKey), "Key column 'id' holds null");
  }

  @Test
  void aPlaceholderInARequiredColumnIsLeftToBeFilled() {
    Set<String> missing = new HashSet<>();
    new RowConverter(TABLE, Map.of(), UnavailableValues.DEFAULT)
        .toRecord(row().put("code", UnavailableValues.DEBEZIUM_DEFAULT), missing);
    assertEquals(Set.of("code"), missing);
  }

  /**
   * Each row shape is worked out once and kept while rows come in it: rows of two shapes (other
   * columns, another order) that alternate still put every value in its own column.
   */
  @Test
  void rowsOfShapesThatAlternateEachPutTheirValuesInTheirOwnColumns() {
    org.apache.kafka.connect.data.Schema reordered =
        SchemaBuilder.struct()
            .field("code", org.apache.kafka.connect.data.Schema.OPTIONAL_STRING_SCHEMA)
            .field("id", org.apache.kafka.connect.data.Schema.OPTIONAL_INT32_SCHEMA)
            .build();
    for (int i = 0; i < 3; i++) {
      Record first = rows.toRecord(row().put("id", i).put("code", "r" + i));
      Record second = rows.toRecord(new Struct(reordered).put("code", "s" + i).put("id", 10 + i));
      assertEquals(List.of(i, "r" + i), List.of(first.getField("id"), first.getField("code")));
      assertEquals(
          List.of(10 + i, "s" + i), List.of(second.getField("id"), second.getField("code")));
    }
    RowConverter keys = RowConverter.forKeys(TABLE.select("id"));
    org.apache.kafka.connect.data.Schema keyShape =
        SchemaBuilder.struct().field("id", ROW.field("id").schema()).build();
    assertEquals(7, keys.toKey(new Struct(keyShape).put("id", 7)).getField("id"));
    assertRefused(() -> keys.toKey(new Struct(keyShape)), "Key column 'id' holds null");
  }

  /**
   * A value kept as text belongs to its own row: the row after it (or after a row refused midway)
   * has none.
   */
  @Test
  void aValueKeptAsTextStaysWithItsOwnRow() {
    Schema table =
        new Schema(
            Arrays.asList(
                NestedField.required(1, "id", Types.IntegerType.get()),
                NestedField.optional(2, "amount", Types.DecimalType.of(10, 2)),
                NestedField.optional(
                    3,
                    ChangeMetadata.UNREPRESENTABLE,
                    Types.MapType.ofOptional(
                        4, 5, Types.StringType.get(), Types.StringType.get()))),
            Set.of(1));
    org.apache.kafka.connect.data.Schema shape =
        SchemaBuilder.struct()
            .field("id", org.apache.kafka.connect.data.Schema.OPTIONAL_INT32_SCHEMA)
            .field(
                "amount",
                SchemaBuilder.string()
                    .name(dev.floe.common.debezium.ExactValueSchemas.DECIMAL)
                    .optional()
                    .build())
            .build();
    RowConverter converter = new RowConverter(table);
    Record kept = converter.toRecord(new Struct(shape).put("id", 1).put("amount", "NaN"));
    assertEquals(Map.of("amount", "NaN"), kept.getField(ChangeMetadata.UNREPRESENTABLE));
    org.apache.kafka.connect.data.Schema amountFirst =
        SchemaBuilder.struct()
            .field("amount", shape.field("amount").schema())
            .field("id", shape.field("id").schema())
            .build();
    // its amount is kept as text before its null key refuses it
    assertRefused(
        () -> converter.toRecord(new Struct(amountFirst).put("amount", "Infinity")),
        "Key column 'id'");
    Record next = converter.toRecord(new Struct(shape).put("id", 2).put("amount", "1.50"));
    assertEquals(new java.math.BigDecimal("1.50"), next.getField("amount"));
    assertEquals(null, next.getField(ChangeMetadata.UNREPRESENTABLE));
    assertEquals(Map.of("amount", "NaN"), kept.getField(ChangeMetadata.UNREPRESENTABLE));
  }

  /**
   * A decimal array holding NaN keeps its row with the whole array as Postgres writes it (the map
   * keeping only "NaN" would lose every other element); in a map column the value is refused.
   */
  @Test
  void aListWithAValueItsElementsCannotHoldIsKeptWholeAndAMapIsRefused() {
    Schema table =
        new Schema(
            Arrays.asList(
                NestedField.required(1, "id", Types.IntegerType.get()),
                NestedField.optional(
                    2, "amounts", Types.ListType.ofOptional(6, Types.DecimalType.of(10, 2))),
                NestedField.optional(
                    7,
                    "prices",
                    Types.MapType.ofOptional(
                        8, 9, Types.StringType.get(), Types.DecimalType.of(10, 2))),
                NestedField.optional(
                    3,
                    ChangeMetadata.UNREPRESENTABLE,
                    Types.MapType.ofOptional(
                        4, 5, Types.StringType.get(), Types.StringType.get()))),
            Set.of(1));
    org.apache.kafka.connect.data.Schema decimal =
        SchemaBuilder.string()
            .name(dev.floe.common.debezium.ExactValueSchemas.DECIMAL)
            .optional()
            .build();
    org.apache.kafka.connect.data.Schema shape =
        SchemaBuilder.struct()
            .field("id", org.apache.kafka.connect.data.Schema.OPTIONAL_INT32_SCHEMA)
            .field("amounts", SchemaBuilder.array(decimal).optional().build())
            .field(
                "prices",
                SchemaBuilder.map(org.apache.kafka.connect.data.Schema.STRING_SCHEMA, decimal)
                    .optional()
                    .build())
            .build();
    RowConverter converter = new RowConverter(table);
    Record kept =
        converter.toRecord(
            new Struct(shape)
                .put("id", 1)
                .put("amounts", Arrays.asList("1.10", null, "NaN", "a b")));
    assertEquals(null, kept.getField("amounts"));
    assertEquals(
        Map.of("amounts", "{1.10,NULL,NaN,\"a b\"}"),
        kept.getField(ChangeMetadata.UNREPRESENTABLE));
    assertRefused(
        () -> converter.toRecord(new Struct(shape).put("id", 2).put("prices", Map.of("x", "NaN"))),
        "Column 'prices': NaN does not fit");
    assertTrue(
        UnrepresentableValues.mayNeed(
            shape.field("amounts").schema(), table.findField("amounts").type()));
  }

  private void assertRefused(Struct row, String reason) {
    assertRefused(() -> rows.toRecord(row), reason);
  }

  private static void assertRefused(
      org.junit.jupiter.api.function.Executable conversion, String reason) {
    DataException refused = assertThrows(DataException.class, conversion);
    assertTrue(refused.getMessage().startsWith(reason), refused.getMessage());
  }
}
