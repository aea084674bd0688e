package dev.floe.sink.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
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
    assertRefused(() -> RowConverter.toKeyRecord(nullKey, key), "Key column 'id' holds null");
  }

  @Test
  void aPlaceholderInARequiredColumnIsLeftToBeFilled() {
    Set<String> missing = new HashSet<>();
    new RowConverter(TABLE, Map.of(), UnavailableValues.DEFAULT)
        .toRecord(row().put("code", UnavailableValues.DEBEZIUM_DEFAULT), missing);
    assertEquals(Set.of("code"), missing);
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
