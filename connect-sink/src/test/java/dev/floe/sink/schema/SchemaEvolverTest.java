package dev.floe.sink.schema;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.iceberg.types.Types;
import org.apache.iceberg.types.Types.NestedField;
import org.junit.jupiter.api.Test;

class SchemaEvolverTest {

  @Test
  void nestedTypesAreComparedByShapeNotByFieldIds() {
    Types.StructType inTable =
        Types.StructType.of(
            NestedField.optional(11, "x", Types.DoubleType.get()),
            NestedField.optional(12, "y", Types.DoubleType.get()));
    Types.StructType fromRow =
        Types.StructType.of(
            NestedField.optional(2, "x", Types.DoubleType.get()),
            NestedField.optional(3, "y", Types.DoubleType.get()));
    assertTrue(SchemaEvolver.holds(inTable, fromRow));
    assertTrue(
        SchemaEvolver.holds(
            Types.MapType.ofOptional(5, 6, Types.StringType.get(), Types.LongType.get()),
            Types.MapType.ofOptional(1, 2, Types.StringType.get(), Types.IntegerType.get())));
    assertTrue(
        SchemaEvolver.holds(
            Types.ListType.ofOptional(7, Types.LongType.get()),
            Types.ListType.ofOptional(1, Types.IntegerType.get())));
    assertFalse(
        SchemaEvolver.holds(
            inTable, Types.StructType.of(NestedField.optional(2, "z", Types.DoubleType.get()))));
    assertFalse(SchemaEvolver.holds(Types.IntegerType.get(), Types.LongType.get()));
  }
}
