package dev.floe.sink.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.types.Types.NestedField;
import org.apache.kafka.connect.errors.DataException;

/**
 * Values a row's column cannot hold exactly, kept with the row rather than refusing it: a numeric
 * {@code NaN} or {@code ±Infinity}, or one with more digits than the column's decimal holds, a
 * number a double would turn into an infinity or zero, a {@code time '24:00:00'}. The column is
 * written null, and the row's {@value ChangeMetadata#UNREPRESENTABLE} map holds the column's name
 * with the value's exact text ({@code "NaN"}, {@code "24:00:00"}), so a query can tell such a null
 * from a real one and read the value back.
 *
 * <p>A table gets the map column when it is created with, or its schema evolves to take, a
 * top-level column that may need it ({@link #mayNeed}); a top-level list is kept whole ({@link
 * #inList}). Key columns and values inside maps and structs cannot be kept so, and are refused.
 */
public final class UnrepresentableValues {
  private UnrepresentableValues() {}

  /** A value its column's type cannot hold, with its exact text. */
  static final class ValueException extends DataException {
    private final String text;
    private final String why;

    ValueException(String column, String text, Type type, String why) {
      super("Column '" + column + "': " + text + " does not fit " + type + " (" + why + ")");
      this.text = text;
      this.why = why;
    }

    String text() {
      return text;
    }

    String why() {
      return why;
    }
  }

  /**
   * A list holding a value its element type cannot hold: kept whole, as Postgres writes the array
   * ({@code {1.10,NULL,NaN}}), when its elements arrived as text (Floe's exact numbers), so the map
   * keeps every element and not only the one that did not fit; refused otherwise.
   */
  static DataException inList(String column, List<?> items, Type type, ValueException cause) {
    StringBuilder text = new StringBuilder("{");
    for (Object item : items) {
      if (item != null && !(item instanceof String)) {
        return new DataException(
            cause.getMessage() + ", in a list whose values cannot be kept as text", cause);
      }
      text.append(text.length() > 1 ? "," : "")
          .append(item == null ? "NULL" : quoted((String) item));
    }
    return new ValueException(column, text.append('}').toString(), type, cause.why());
  }

  /** An array element as Postgres writes it: quoted when it would not read back as itself. */
  private static String quoted(String element) {
    boolean plain =
        !element.isEmpty()
            && !element.equalsIgnoreCase("NULL")
            && element
                .chars()
                .noneMatch(c -> "{},\"\\".indexOf(c) >= 0 || Character.isWhitespace(c));
    return plain ? element : '"' + element.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }

  static Types.MapType mapType(int keyId, int valueId) {
    return Types.MapType.ofOptional(keyId, valueId, Types.StringType.get(), Types.StringType.get());
  }

  /**
   * Whether a top-level column of Connect schema {@code source}, held in Iceberg as {@code column},
   * may get values that column cannot hold: a decimal (numeric {@code NaN}, too many digits), a
   * time ({@code 24:00:00}), a double that takes numerics (beyond its range).
   */
  static boolean mayNeed(org.apache.kafka.connect.data.Schema source, Type column) {
    return switch (column.typeId()) {
      case DECIMAL, TIME -> true;
      case DOUBLE -> TypeMapping.isNumeric(source);
      case LIST -> mayNeed(source.valueSchema(), ((Types.ListType) column).elementType());
      default -> false;
    };
  }

  /**
   * {@code schema} with the map column added after its columns when {@code row} has a non-key
   * column that {@link #mayNeed} it.
   */
  public static Schema withColumnIfNeeded(Schema schema, org.apache.kafka.connect.data.Schema row) {
    if (schema.findField(ChangeMetadata.UNREPRESENTABLE) != null || !needs(schema, row)) {
      return schema;
    }
    List<NestedField> fields = new ArrayList<>(schema.columns());
    int id = schema.highestFieldId();
    fields.add(
        NestedField.optional(id + 3, ChangeMetadata.UNREPRESENTABLE, mapType(id + 1, id + 2)));
    return new Schema(fields, schema.identifierFieldIds());
  }

  private static boolean needs(Schema schema, org.apache.kafka.connect.data.Schema row) {
    for (org.apache.kafka.connect.data.Field column : row.fields()) {
      NestedField field = schema.findField(column.name());
      if (field != null
          && !schema.identifierFieldIds().contains(field.fieldId())
          && mayNeed(column.schema(), field.type())) {
        return true;
      }
    }
    return false;
  }

  /** How many values {@code row} (a buffered row or key record) keeps as text. */
  public static int countIn(Object row) {
    if (row instanceof Record record
        && record.struct().field(ChangeMetadata.UNREPRESENTABLE) != null
        && record.getField(ChangeMetadata.UNREPRESENTABLE) instanceof Map<?, ?> kept) {
      return kept.size();
    }
    return 0;
  }
}
