package dev.floe.sink.schema;

import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.TypeUtil;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.types.Types.NestedField;

/**
 * Whether an Iceberg column can take the values of a row's column. Nested types are compared by
 * shape (field names and types), never by field ids: the ids of a type built from a row are fresh
 * each time, those of the table's column are the table's.
 */
final class TypeCompatibility {
  private TypeCompatibility() {}

  /** Can a column of {@code column} type take {@code value}'s, as it is or widened? */
  static boolean canTake(Type column, Type value) {
    if (holds(column, value)) {
      return true;
    }
    if (column.isStructType() && value.isStructType()) {
      for (NestedField field : value.asStructType().fields()) {
        NestedField existing = column.asStructType().field(field.name());
        if (existing != null && !canTake(existing.type(), field.type())) {
          return false;
        }
      }
      return true; // new fields are added
    }
    if (column.isListType() && value.isListType()) {
      return canTake(column.asListType().elementType(), value.asListType().elementType());
    }
    if (column.isMapType() && value.isMapType()) {
      return holds(column.asMapType().keyType(), value.asMapType().keyType())
          && canTake(column.asMapType().valueType(), value.asMapType().valueType());
    }
    return value.isPrimitiveType() && TypeUtil.isPromotionAllowed(column, value.asPrimitiveType());
  }

  /**
   * The column that takes a column's values of a type it cannot: {@code code__int}, {@code
   * price__decimal_12_4}, {@code tags__list}.
   */
  static String siblingName(String column, Type type) {
    String suffix =
        type instanceof Types.DecimalType d
            ? "decimal_" + d.precision() + "_" + d.scale()
            : type.isPrimitiveType()
                ? type.toString() // int, long, string, timestamptz, ...
                : type.typeId().name().toLowerCase(java.util.Locale.ROOT);
    return column + "__" + suffix;
  }

  /** Can a column of {@code column} type hold every value of type {@code value}? */
  static boolean holds(Type column, Type value) {
    if (column.isPrimitiveType() && column.equals(value)) {
      return true;
    }
    if (column.isStructType() && value.isStructType()) {
      for (NestedField field : value.asStructType().fields()) {
        NestedField existing = column.asStructType().field(field.name());
        if (existing == null || !holds(existing.type(), field.type())) {
          return false;
        }
      }
      return true;
    }
    if (column.isMapType() && value.isMapType()) {
      return holds(column.asMapType().keyType(), value.asMapType().keyType())
          && holds(column.asMapType().valueType(), value.asMapType().valueType());
    }
    if (column.isListType() && value.isListType()) {
      return holds(column.asListType().elementType(), value.asListType().elementType());
    }
    // the widenings Iceberg allows hold the narrower values as they are
    if (column.typeId() == Type.TypeID.LONG && value.typeId() == Type.TypeID.INTEGER) {
      return true;
    }
    if (column.typeId() == Type.TypeID.DOUBLE && value.typeId() == Type.TypeID.FLOAT) {
      return true;
    }
    if (column instanceof Types.DecimalType c && value instanceof Types.DecimalType v) {
      return c.scale() == v.scale() && c.precision() >= v.precision();
    }
    return false;
  }
}
