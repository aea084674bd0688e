package dev.floe.sink.schema;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.iceberg.types.Types;
import org.apache.iceberg.types.Types.NestedField;
import org.junit.jupiter.api.Test;

class TypeCompatibilityTest {

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
    assertTrue(TypeCompatibility.holds(inTable, fromRow));
    assertTrue(
        TypeCompatibility.holds(
            Types.MapType.ofOptional(5, 6, Types.StringType.get(), Types.LongType.get()),
            Types.MapType.ofOptional(1, 2, Types.StringType.get(), Types.IntegerType.get())));
    assertTrue(
        TypeCompatibility.holds(
            Types.ListType.ofOptional(7, Types.LongType.get()),
            Types.ListType.ofOptional(1, Types.IntegerType.get())));
    assertFalse(
        TypeCompatibility.holds(
            inTable, Types.StructType.of(NestedField.optional(2, "z", Types.DoubleType.get()))));
    assertFalse(TypeCompatibility.holds(Types.IntegerType.get(), Types.LongType.get()));
  }
}
