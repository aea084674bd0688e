package dev.floe.sink.schema;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
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
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(SchemaEvolver.class);
  private final boolean enabled;
  private final Function<String, Map<String, String>> renames;
  private final Map<Schema, Integer> fitsSchemaId = new IdentityHashMap<>();

  public SchemaEvolver(boolean enabled) {
    this(enabled, table -> Map.of());
  }

  /**
   * @param renames per table ({@code namespace.name}), Postgres column renames to follow in
   *     Iceberg: new name to old name
   */
  public SchemaEvolver(boolean enabled, Function<String, Map<String, String>> renames) {
    this.enabled = enabled;
    this.renames = renames;
  }

  /**
   * True when a writer whose rows are built for {@code writerSchema} (a schema of {@code table})
   * cannot take rows of {@code rowSchema}.
   */
  public boolean needsEvolution(
      org.apache.iceberg.Schema writerSchema, Table table, Schema rowSchema) {
    Integer fits = fitsSchemaId.get(rowSchema);
    if (fits != null && fits == writerSchema.schemaId()) {
      return false;
    }
    boolean needed = !plan(writerSchema, table, rowSchema).isEmpty();
    if (!needed) {
      fitsSchemaId.put(rowSchema, writerSchema.schemaId());
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
              + describe(plan(table.schema(), table, rowSchema))
              + ") and schema evolution is off (iceberg.tables.evolve-schema=false).");
    }
    for (int attempt = 0; attempt < 10; attempt++) {
      table.refresh();
      List<Change> changes = plan(table.schema(), table, rowSchema);
      if (changes.isEmpty()) {
        return; // another task evolved it first
      }
      UpdateSchema update = table.updateSchema();
      changes.forEach(change -> change.apply().accept(update));
      try {
        update.commit();
        LOG.info("Changed the schema of {}: {}", table.name(), describe(changes));
        return;
      } catch (CommitFailedException raced) {
        // another writer changed the table meanwhile: look again
      }
    }
    throw new CommitFailedException(
        "Could not evolve the schema of %s: it kept changing", table.name());
  }

  /** One schema change: what it is, for logs and messages, and how to make it. */
  private record Change(String description, Consumer<UpdateSchema> apply) {}

  private static String describe(List<Change> changes) {
    return changes.stream().map(Change::description).collect(Collectors.joining("; "));
  }

  /**
   * The changes {@code table} (a schema of {@code icebergTable}) needs to take rows of {@code
   * rowSchema}; throws when one of them cannot be represented.
   */
  private List<Change> plan(org.apache.iceberg.Schema table, Table icebergTable, Schema rowSchema) {
    Map<String, String> renamed = renamesOf(icebergTable);
    List<Change> changes = new ArrayList<>();
    for (Field column : rowSchema.fields()) {
      String name = column.name();
      NestedField existing = table.findField(name);
      Type wanted = TypeMapping.toIcebergType(name, column.schema(), new AtomicInteger());
      String current = name; // the column's name in the table as the update starts
      String oldName = renamed.get(name);
      if (existing == null && oldName != null && table.findField(oldName) != null) {
        changes.add(
            new Change("rename " + oldName + " to " + name, u -> u.renameColumn(oldName, name)));
        existing = table.findField(oldName);
        current = oldName;
      } else if (existing == null && isRenamedAway(table, renamed, name)) {
        current = newNameOf(renamed, name); // a late row of the old shape: not a new column
        existing = table.findField(current);
      }
      if (existing == null) {
        changes.add(new Change("add " + name + " " + wanted, u -> u.addColumn(name, wanted)));
      } else if (!holds(existing.type(), wanted)) {
        String target = widening(existing.type(), wanted, current);
        if (target == null) {
          throw new DataException(
              "Column '"
                  + name
                  + "' of "
                  + icebergTable.name()
                  + " changed from "
                  + existing.type()
                  + " to "
                  + wanted
                  + ", which the Iceberg column cannot take or widen to. Add a new column in"
                  + " Postgres instead, or recreate the table.");
        }
        Type.PrimitiveType to =
            target.equals(current) ? wanted.asPrimitiveType() : elementType(wanted);
        changes.add(new Change("widen " + name + " to " + wanted, u -> u.updateColumn(target, to)));
      }
    }
    for (NestedField field : table.columns()) {
      if (field.isRequired()
          && rowSchema.field(field.name()) == null
          && !renamed.containsValue(field.name())
          && !table.identifierFieldIds().contains(field.fieldId())) {
        changes.add(
            new Change(
                "make " + field.name() + " optional", u -> u.makeColumnOptional(field.name())));
      }
    }
    return changes;
  }

  /**
   * A row of the old shape, arriving after the rename (from another task's partition): its old
   * column is the renamed one, not a new column.
   */
  private static boolean isRenamedAway(
      org.apache.iceberg.Schema table, Map<String, String> renamed, String name) {
    String newName = newNameOf(renamed, name);
    return newName != null && table.findField(newName) != null;
  }

  private static String newNameOf(Map<String, String> renamed, String oldName) {
    for (Map.Entry<String, String> e : renamed.entrySet()) {
      if (e.getValue().equals(oldName)) {
        return e.getKey();
      }
    }
    return null;
  }

  /** Old name to new name, for writing rows of the old shape into a renamed table. */
  public Map<String, String> aliasesFor(Table table) {
    Map<String, String> aliases = new java.util.HashMap<>();
    renamesOf(table).forEach((newName, oldName) -> aliases.put(oldName, newName));
    return aliases;
  }

  private Map<String, String> renamesOf(Table table) {
    String name = table.name();
    int dot = name.indexOf('.'); // catalog-qualified: catalog.namespace.table
    Map<String, String> renamed = renames.apply(dot < 0 ? name : name.substring(dot + 1));
    return renamed == null ? Map.of() : renamed;
  }

  /**
   * The column to update so that {@code column} (the existing type) takes {@code wanted}: the
   * column itself, or its list element; null when Iceberg cannot represent the change.
   */
  static String widening(Type existing, Type wanted, String column) {
    if (wanted.isPrimitiveType()
        && TypeUtil.isPromotionAllowed(existing, wanted.asPrimitiveType())) {
      return column;
    }
    if (existing.isListType()
        && wanted.isListType()
        && elementType(wanted) != null
        && TypeUtil.isPromotionAllowed(existing.asListType().elementType(), elementType(wanted))) {
      return column + ".element";
    }
    return null;
  }

  private static Type.PrimitiveType elementType(Type list) {
    Type element = list.asListType().elementType();
    return element.isPrimitiveType() ? element.asPrimitiveType() : null;
  }

  /**
   * Can a column of {@code column} type hold every value of type {@code value}? Nested types are
   * compared by shape (field names and types), not by field ids.
   */
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
    if (column.typeId() == Type.TypeID.LONG && value.typeId() == Type.TypeID.INTEGER) {
      return true;
    }
    if (column.typeId() == Type.TypeID.DOUBLE && value.typeId() == Type.TypeID.FLOAT) {
      return true;
    }
    if (column instanceof Types.DecimalType c && value instanceof Types.DecimalType v) {
      return c.scale() == v.scale() && c.precision() >= v.precision();
    }
    if (column.isListType() && value.isListType()) {
      return holds(column.asListType().elementType(), value.asListType().elementType());
    }
    return false;
  }
}
