package dev.floe.sink.schema;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types.NestedField;
import org.apache.kafka.connect.data.Field;

/**
 * Where a row's columns go when the table names them otherwise: a renamed column's old name goes to
 * its new one (configured, or found by the column's Postgres number: {@link ColumnIdentities}, for
 * a change from before the rename), and a value of a type its column cannot take goes to the column
 * made for that type ({@link TypeChangePolicy#NEW_COLUMN}, e.g. {@code code__int}). Worked out once
 * per row shape.
 */
final class ColumnTargets {
  private final Schema table;
  private final Map<String, String> aliases;
  private final ColumnNumbering numbering;
  private final boolean hasTypeColumns;
  private final Map<org.apache.kafka.connect.data.Schema, Map<String, String>> byShape =
      new IdentityHashMap<>();

  ColumnTargets(Schema table, Map<String, String> aliases, ColumnNumbering numbering) {
    this.table = table;
    this.aliases = aliases;
    this.numbering = numbering;
    this.hasTypeColumns = table.columns().stream().anyMatch(c -> c.name().contains("__"));
  }

  /**
   * Column name in the row to column name in the table, for the columns named otherwise; {@code
   * numbers} are the columns' Postgres numbers the row carries, or null.
   */
  Map<String, String> of(org.apache.kafka.connect.data.Schema rowSchema, String numbers) {
    Map<String, String> base = aliases;
    NumbersHeader header = numbering.isEmpty() ? null : NumbersHeader.parse(numbers);
    if (header != null
        && numbering.relation() != null
        && header.relation() == numbering.relation().oid()) { // not a table dropped since
      // asked when a row's shape differs from the last one's: not kept
      Map<String, String> byNumber =
          ColumnIdentities.resolve(
                  table, numbering, rowSchema.fields(), header.numbers(), ColumnIdentities.OLDEST)
              .targets();
      if (!byNumber.isEmpty()) {
        base = new HashMap<>(aliases);
        base.putAll(byNumber);
        return hasTypeColumns ? resolve(rowSchema, base) : base;
      }
    }
    if (!hasTypeColumns) {
      return base; // the common case: only renames
    }
    return byShape.computeIfAbsent(rowSchema, shape -> resolve(shape, aliases));
  }

  private Map<String, String> resolve(
      org.apache.kafka.connect.data.Schema shape, Map<String, String> aliases) {
    Map<String, String> targets = new HashMap<>(aliases);
    for (Field column : shape.fields()) {
      NestedField target = table.findField(aliases.getOrDefault(column.name(), column.name()));
      if (target == null) {
        continue;
      }
      if (TypeMapping.isUnconstrainedNumeric(column.schema())) {
        String typeColumn = numericColumn(column.name(), target);
        if (typeColumn != null) {
          targets.put(column.name(), typeColumn);
        }
        continue;
      }
      Type wanted =
          TypeMapping.toIcebergType(
              column.name(), column.schema(), new AtomicInteger(), NumericMapping.DEFAULT);
      String typeColumn = TypeCompatibility.siblingName(column.name(), wanted);
      if (!TypeCompatibility.holds(target.type(), wanted) && table.findField(typeColumn) != null) {
        targets.put(column.name(), typeColumn);
      }
    }
    return targets;
  }

  /**
   * Where an unconstrained numeric goes when its column is of another type: to the column made for
   * it ({@code amount__string}, {@code amount__decimal_38_18}: whichever mapping the table had),
   * else null.
   */
  private String numericColumn(String column, NestedField target) {
    if (NumericMapping.accepts(target.type())) {
      return null;
    }
    for (NestedField field : table.columns()) {
      if (field.name().startsWith(column + "__")
          && NumericMapping.accepts(field.type())
          && field.name().equals(TypeCompatibility.siblingName(column, field.type()))) {
        return field.name();
      }
    }
    return null;
  }
}
