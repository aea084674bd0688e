package dev.floe.sink.schema;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.Table;
import org.apache.iceberg.UpdateSchema;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.TypeUtil;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.types.Types.NestedField;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.DataException;

/**
 * Turns a new row shape into the Iceberg schema change it needs, before the row is written.
 * Postgres sends no DDL: a column added shows up as a new field, a dropped one as a missing field,
 * a type change as another type. A new column becomes an optional Iceberg column; a dropped one
 * stays (history keeps its data) and becomes optional; a type Iceberg can widen to (int to long,
 * float to double, a decimal's precision up) is widened; a change Iceberg cannot represent is
 * refused, naming table, column and both types, and the record goes to the dead letter topic (or
 * fails the task). A rename arrives as a drop and an add.
 */
public final class SchemaEvolver {
  private final boolean enabled;
  private final Map<Schema, Integer> fitsSchemaId = new IdentityHashMap<>();

  public SchemaEvolver(boolean enabled) {
    this.enabled = enabled;
  }

  /** True when {@code table} cannot take rows of {@code rowSchema} as it is. */
  public boolean needsEvolution(Table table, Schema rowSchema) {
    Integer fits = fitsSchemaId.get(rowSchema);
    if (fits != null && fits == table.schema().schemaId()) {
      return false;
    }
    boolean needed = !changes(table.schema(), rowSchema, table.name()).isEmpty();
    if (!needed) {
      fitsSchemaId.put(rowSchema, table.schema().schemaId());
    }
    return needed;
  }

  /** Changes {@code table}'s schema so it takes rows of {@code rowSchema}; retried on races. */
  public void evolve(Table table, Schema rowSchema) {
    if (!enabled) {
      throw new DataException(
          "Rows of "
              + table.name()
              + " changed shape ("
              + String.join("; ", changes(table.schema(), rowSchema, table.name()))
              + ") and schema evolution is off (iceberg.tables.evolve-schema=false).");
    }
    for (int attempt = 0; attempt < 10; attempt++) {
      table.refresh();
      List<String> changes = changes(table.schema(), rowSchema, table.name());
      if (changes.isEmpty()) {
        return; // another task evolved it first
      }
      UpdateSchema update = table.updateSchema();
      apply(update, table.schema(), rowSchema);
      try {
        update.commit();
        return;
      } catch (CommitFailedException raced) {
        // another writer changed the table meanwhile: look again
      }
    }
    throw new CommitFailedException(
        "Could not evolve the schema of %s: it kept changing", table.name());
  }

  private static List<String> changes(
      org.apache.iceberg.Schema table, Schema rowSchema, String tableName) {
    List<String> changes = new ArrayList<>();
    for (Field column : rowSchema.fields()) {
      NestedField existing = table.findField(column.name());
      Type wanted = TypeMapping.toIcebergType(column.name(), column.schema(), new AtomicInteger());
      if (existing == null) {
        changes.add("add " + column.name() + " " + wanted);
      } else if (!holds(existing.type(), wanted)) {
        if (!wanted.isPrimitiveType()
            || !TypeUtil.isPromotionAllowed(existing.type(), wanted.asPrimitiveType())) {
          throw new DataException(
              "Column '"
                  + column.name()
                  + "' of "
                  + tableName
                  + " changed from "
                  + existing.type()
                  + " to "
                  + wanted
                  + ", which the Iceberg column cannot take or widen to. Add a new column in"
                  + " Postgres instead, or recreate the table.");
        }
        changes.add("widen " + column.name() + " to " + wanted);
      }
    }
    for (NestedField field : table.columns()) {
      if (field.isRequired()
          && rowSchema.field(field.name()) == null
          && !table.identifierFieldIds().contains(field.fieldId())) {
        changes.add("make " + field.name() + " optional");
      }
    }
    return changes;
  }

  private static void apply(
      UpdateSchema update, org.apache.iceberg.Schema table, Schema rowSchema) {
    for (Field column : rowSchema.fields()) {
      NestedField existing = table.findField(column.name());
      Type wanted = TypeMapping.toIcebergType(column.name(), column.schema(), new AtomicInteger());
      if (existing == null) {
        update.addColumn(column.name(), wanted);
      } else if (!holds(existing.type(), wanted)) {
        update.updateColumn(column.name(), wanted.asPrimitiveType());
      }
    }
    for (NestedField field : table.columns()) {
      if (field.isRequired()
          && rowSchema.field(field.name()) == null
          && !table.identifierFieldIds().contains(field.fieldId())) {
        update.makeColumnOptional(field.name());
      }
    }
  }

  /** Can a column of {@code column} type hold every value of type {@code value}? */
  static boolean holds(Type column, Type value) {
    if (column.equals(value) || column.toString().equals(value.toString())) {
      return true;
    }
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
