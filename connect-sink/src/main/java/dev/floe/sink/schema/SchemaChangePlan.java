package dev.floe.sink.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.iceberg.Schema;
import org.apache.iceberg.UpdateSchema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.TypeUtil;
import org.apache.iceberg.types.Types.NestedField;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;

/**
 * The schema changes a table needs to take rows of a new shape, worked out column by column and,
 * inside structs, lists and maps, field by field: a new column or struct field is added (optional;
 * a column with its Postgres DEFAULT as initial default where the table can hold one), a type
 * Iceberg can widen is widened, a column the rows no longer have becomes optional. A change Iceberg
 * cannot represent is refused, naming table, column and both types.
 */
final class SchemaChangePlan {
  /** One schema change: what it is, for logs and messages, and how to make it. */
  record Change(String description, Consumer<UpdateSchema> apply) {}

  private final String tableName;
  private final Schema table;
  private final Map<String, String> renamed; // new name -> old name, renames followed in Iceberg
  private final Map<String, String> targets; // a row's column -> the table's, matched by number
  private final TypeChangePolicy policy;
  private final boolean holdsDefaults;
  private final NumericMapping numeric;
  private final List<Change> changes = new ArrayList<>();
  private boolean keepsUnrepresentable;

  private SchemaChangePlan(
      String tableName,
      Schema table,
      Map<String, String> renamed,
      Map<String, String> targets,
      TypeChangePolicy policy,
      boolean holdsDefaults,
      NumericMapping numeric,
      boolean addsUnrepresentable) {
    this.tableName = tableName;
    this.table = table;
    this.renamed = renamed;
    this.targets = targets;
    this.policy = policy;
    this.holdsDefaults = holdsDefaults;
    this.numeric = numeric;
    // evolution off: the table is left as it is, and values its columns cannot hold are refused
    this.keepsUnrepresentable =
        !addsUnrepresentable || table.findField(ChangeMetadata.UNREPRESENTABLE) != null;
  }

  /**
   * The changes {@code table} needs to take rows of {@code rowSchema}; empty when it fits.
   *
   * @param renamed configured renames to follow, new name to old name
   * @param targets a row column's name to the name of the table column it goes to, where they
   *     differ ({@link ColumnIdentities#targets()}): a missing one is added under that name
   * @param holdsDefaults whether the table can hold a column's initial default (format v3): an
   *     added column then gets its Postgres DEFAULT ({@link ColumnDefaults}), which rows written
   *     before it was added read
   * @param numeric the type of unconstrained numeric columns added
   * @param addsUnrepresentable whether to add {@value ChangeMetadata#UNREPRESENTABLE} when a column
   *     may need it: not when the plan only says what evolution, turned off, would do
   */
  static List<Change> of(
      String tableName,
      Schema table,
      Map<String, String> renamed,
      Map<String, String> targets,
      TypeChangePolicy policy,
      boolean holdsDefaults,
      NumericMapping numeric,
      boolean addsUnrepresentable,
      org.apache.kafka.connect.data.Schema rowSchema) {
    SchemaChangePlan plan =
        new SchemaChangePlan(
            tableName,
            table,
            renamed,
            targets,
            policy,
            holdsDefaults,
            numeric,
            addsUnrepresentable);
    rowSchema.fields().forEach(plan::planColumn);
    plan.relaxMissingColumns(rowSchema);
    return plan.changes;
  }

  static String describe(List<Change> changes) {
    return changes.stream().map(Change::description).collect(Collectors.joining("; "));
  }

  private void planColumn(Field column) {
    String name = column.name();
    Type wanted = TypeMapping.toIcebergType(name, column.schema(), new AtomicInteger(), numeric);
    String current = name; // the column's name in the table as the update starts
    NestedField existing = table.findField(name);
    String oldName = renamed.get(name);
    if (targets.containsKey(name)) {
      current = targets.get(name); // the column of the same Postgres column number
    } else if (existing == null && oldName != null && table.findField(oldName) != null) {
      changes.add(
          new Change("rename " + oldName + " to " + name, u -> u.renameColumn(oldName, name)));
      current = oldName;
    } else if (existing == null && renamedAway(name) != null) {
      current = renamedAway(name); // a late row of the old shape: not a new column
    }
    existing = table.findField(current);
    if (existing != null
        && TypeMapping.isUnconstrainedNumeric(column.schema())
        && NumericMapping.accepts(existing.type())) {
      wanted = existing.type(); // a mapping applies to new columns: this one keeps its type
    }
    boolean key = existing != null && table.identifierFieldIds().contains(existing.fieldId());
    if (!key && UnrepresentableValues.mayNeed(column.schema(), wanted)) {
      planUnrepresentable();
    }
    if (existing == null) {
      planAdd(current, column, wanted);
    } else if (policy == TypeChangePolicy.NEW_COLUMN
        && !TypeCompatibility.canTake(existing.type(), wanted)
        && !(existing.type().isStructType() && wanted.isStructType()) // evolved field by field
        && !table.identifierFieldIds().contains(existing.fieldId())) {
      planNewColumn(name, wanted);
    } else {
      planType(current, name, existing.type(), wanted);
    }
    if (existing != null
        && existing.isRequired()
        && column.schema().isOptional()
        && !table.identifierFieldIds().contains(existing.fieldId())) {
      // DROP NOT NULL: the column must take nulls from now on (the reverse never happens)
      String relaxed = current;
      changes.add(new Change("make " + name + " optional", u -> u.makeColumnOptional(relaxed)));
    }
  }

  /**
   * A new column, optional; on a table that can hold it, with the DEFAULT Postgres gave the rows
   * that existed before, as their value.
   */
  private void planAdd(String name, Field column, Type wanted) {
    ColumnDefaults.Initial initial = holdsDefaults ? ColumnDefaults.of(column, wanted) : null;
    if (initial == null) {
      changes.add(new Change("add " + name + " " + wanted, u -> u.addColumn(name, wanted)));
    } else {
      changes.add(
          new Change(
              "add " + name + " " + wanted + " default " + initial.value(),
              u -> u.addColumn(name, wanted, initial.literal())));
    }
  }

  /** The map of values their columns cannot hold, for a column that may get such values. */
  private void planUnrepresentable() {
    if (!keepsUnrepresentable) {
      keepsUnrepresentable = true;
      String name = ChangeMetadata.UNREPRESENTABLE;
      Type type = UnrepresentableValues.mapType(1, 2);
      changes.add(
          new Change(
              "add " + name + " " + type + " for values their columns cannot hold",
              u -> u.addColumn(name, type)));
    }
  }

  /** Values of a type the column cannot take go to a column of their own, named by the type. */
  private void planNewColumn(String name, Type wanted) {
    String sibling = TypeCompatibility.siblingName(name, wanted);
    NestedField existing = table.findField(sibling);
    if (existing == null) {
      changes.add(
          new Change(
              "add " + sibling + " " + wanted + " for the values of " + name + " as " + wanted,
              u -> u.addColumn(sibling, wanted)));
    } else {
      planType(sibling, sibling, existing.type(), wanted);
    }
  }

  /**
   * Plans what the field at {@code path} (its name in the table; {@code shown} in messages) needs
   * to take values of {@code wanted}, descending into nested types.
   */
  private void planType(String path, String shown, Type existing, Type wanted) {
    if (TypeCompatibility.holds(existing, wanted)) {
      return;
    }
    if (existing.isStructType() && wanted.isStructType()) {
      for (NestedField field : wanted.asStructType().fields()) {
        NestedField inTable = existing.asStructType().field(field.name());
        String fieldPath = path + "." + field.name();
        if (inTable == null) {
          changes.add(
              new Change(
                  "add " + shown + "." + field.name() + " " + field.type(),
                  u -> u.addColumn(path, field.name(), field.type())));
        } else {
          planType(fieldPath, shown + "." + field.name(), inTable.type(), field.type());
        }
      }
    } else if (existing.isListType() && wanted.isListType()) {
      planType(
          path + ".element",
          shown + "[]",
          existing.asListType().elementType(),
          wanted.asListType().elementType());
    } else if (existing.isMapType()
        && wanted.isMapType()
        && TypeCompatibility.holds(existing.asMapType().keyType(), wanted.asMapType().keyType())) {
      planType(
          path + ".value",
          shown + "{}",
          existing.asMapType().valueType(),
          wanted.asMapType().valueType());
    } else if (wanted.isPrimitiveType()
        && TypeUtil.isPromotionAllowed(existing, wanted.asPrimitiveType())) {
      changes.add(
          new Change(
              "widen " + shown + " to " + wanted,
              u -> u.updateColumn(path, wanted.asPrimitiveType())));
    } else {
      String message =
          "Column '"
              + shown
              + "' of "
              + tableName
              + " changed from "
              + existing
              + " to "
              + wanted
              + ", which the Iceberg column cannot take or widen to. Add a new column in"
              + " Postgres instead, recreate the table, or set "
              + "iceberg.tables.incompatible-type-change=new-column.";
      throw policy == TypeChangePolicy.FAIL
          ? new ConnectException(message)
          : new DataException(message);
    }
  }

  /** A column the rows no longer carry (dropped in Postgres) can no longer be required. */
  private void relaxMissingColumns(org.apache.kafka.connect.data.Schema rowSchema) {
    for (NestedField field : table.columns()) {
      if (field.isRequired()
          && rowSchema.field(field.name()) == null
          && !renamed.containsValue(field.name())
          && !targets.containsValue(field.name())
          && !table.identifierFieldIds().contains(field.fieldId())) {
        changes.add(
            new Change(
                "make " + field.name() + " optional", u -> u.makeColumnOptional(field.name())));
      }
    }
  }

  /** The new name of {@code oldName} if it was renamed in the table, else null. */
  private String renamedAway(String oldName) {
    for (Map.Entry<String, String> e : renamed.entrySet()) {
      if (e.getValue().equals(oldName) && table.findField(e.getKey()) != null) {
        return e.getKey();
      }
    }
    return null;
  }
}
