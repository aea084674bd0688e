package dev.floe.sink.schema;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.iceberg.Table;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * The Iceberg type of Postgres {@code numeric} columns declared without precision and scale, which
 * hold any number of digits and {@code NaN}, {@code ±Infinity}: {@code string} (the exact text, the
 * default), {@code double}, or {@code decimal(P,S)} ({@code decimal} alone is decimal(38,18)).
 *
 * <p>A table records the mapping it was created with in its property {@value #TABLE_PROPERTY}, so
 * its columns added later get the same type whatever a task's configuration says; a table without
 * it (created before the setting existed, or by hand) maps them as Floe always did, to
 * decimal(38,18).
 */
public record NumericMapping(Type type) {
  /** The table property that records a table's mapping. */
  public static final String TABLE_PROPERTY = "floe.unconstrained-numeric";

  /** Holds every value Postgres can: no row and no digit is ever lost. */
  public static final NumericMapping STRING = new NumericMapping(Types.StringType.get());

  /** Floe's mapping before it was configurable, and that of tables that do not record one. */
  public static final NumericMapping DECIMAL =
      new NumericMapping(
          Types.DecimalType.of(
              TypeMapping.MAX_DECIMAL_PRECISION, TypeMapping.UNCONSTRAINED_NUMERIC_SCALE));

  public static final NumericMapping DEFAULT = STRING;

  private static final Pattern DECIMAL_TEXT =
      Pattern.compile("decimal\\s*(?:\\(\\s*(\\d{1,2})\\s*,\\s*(\\d{1,2})\\s*\\))?");

  /**
   * Reads {@code string}, {@code double}, {@code decimal} or {@code decimal(P,S)} (P up to 38, S
   * from 0 to P).
   *
   * @throws IllegalArgumentException naming what is accepted
   */
  public static NumericMapping parse(String text) {
    String trimmed = text.trim().toLowerCase(Locale.ROOT);
    if (trimmed.equals("string")) {
      return STRING;
    }
    if (trimmed.equals("double")) {
      return new NumericMapping(Types.DoubleType.get());
    }
    Matcher decimal = DECIMAL_TEXT.matcher(trimmed);
    if (decimal.matches()) {
      if (decimal.group(1) == null) {
        return DECIMAL;
      }
      int precision = Integer.parseInt(decimal.group(1));
      int scale = Integer.parseInt(decimal.group(2));
      if (precision >= 1 && precision <= TypeMapping.MAX_DECIMAL_PRECISION && scale <= precision) {
        return new NumericMapping(Types.DecimalType.of(precision, scale));
      }
    }
    throw new IllegalArgumentException(
        "'"
            + text
            + "' is not string, double, decimal or decimal(P,S) with P from 1 to 38 and S from 0"
            + " to P");
  }

  /** The mapping {@code table} records, or decimal(38,18) when it records none. */
  public static NumericMapping of(Table table) {
    return ofProperties(table.properties(), DECIMAL);
  }

  /** The mapping {@code properties} name under {@value #TABLE_PROPERTY}, else {@code absent}. */
  public static NumericMapping ofProperties(Map<String, String> properties, NumericMapping absent) {
    String text = properties.get(TABLE_PROPERTY);
    return text == null ? absent : parse(text);
  }

  /**
   * Whether an existing column of {@code column} type takes an unconstrained numeric column's
   * values: any type some mapping gives it. It keeps its type when the mapping changes, and the
   * values it cannot hold are kept as text ({@link UnrepresentableValues}).
   */
  static boolean accepts(Type column) {
    return column.typeId() == Type.TypeID.DECIMAL
        || column.typeId() == Type.TypeID.STRING
        || column.typeId() == Type.TypeID.DOUBLE;
  }

  /** As the setting and the table property spell it: {@code string}, {@code decimal(38,18)}. */
  public String configName() {
    return type instanceof Types.DecimalType d
        ? "decimal(" + d.precision() + "," + d.scale() + ")"
        : type.toString();
  }
}
