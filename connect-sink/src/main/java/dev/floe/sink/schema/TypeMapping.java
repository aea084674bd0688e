package dev.floe.sink.schema;

import dev.floe.common.debezium.ExactValueSchemas;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.types.Types.NestedField;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.errors.DataException;

/**
 * Maps the Connect schema of a Debezium row onto an Iceberg schema. Debezium tells the Postgres
 * type through the Connect schema's name (its "semantic type"); the mapping keys on that name
 * first, then on the Connect type. Types not listed here are refused with the column's name rather
 * than guessed.
 *
 * <table>
 *   <caption>Connect / Debezium type to Iceberg type</caption>
 *   <tr><th>Connect schema (name)</th><th>Postgres</th><th>Iceberg</th></tr>
 *   <tr><td>INT8, INT16, INT32</td><td>smallint, integer</td><td>int</td></tr>
 *   <tr><td>INT64</td><td>bigint</td><td>long</td></tr>
 *   <tr><td>FLOAT32 / FLOAT64</td><td>real / double precision</td><td>float / double</td></tr>
 *   <tr><td>BOOLEAN</td><td>boolean</td><td>boolean</td></tr>
 *   <tr><td>STRING</td><td>text, varchar, char, json, xml, enum</td><td>string</td></tr>
 *   <tr><td>BYTES</td><td>bytea</td><td>binary</td></tr>
 *   <tr><td>{@code Decimal}</td><td>numeric(p,s)</td><td>decimal(p,s)</td></tr>
 *   <tr><td>{@code io.debezium.data.Uuid}</td><td>uuid</td><td>uuid</td></tr>
 *   <tr><td>{@code io.debezium.time.Date}, {@code Date}</td><td>date</td><td>date</td></tr>
 *   <tr><td>{@code io.debezium.time.MicroTime}, {@code Time}</td><td>time</td><td>time</td></tr>
 *   <tr><td>{@code io.debezium.time.MicroTimestamp}, {@code Timestamp}</td><td>timestamp</td>
 *       <td>timestamp</td></tr>
 *   <tr><td>{@code io.debezium.time.ZonedTimestamp}</td><td>timestamptz</td><td>timestamptz</td></tr>
 *   <tr><td>ARRAY</td><td>arrays</td><td>list</td></tr>
 *   <tr><td>{@code io.debezium.data.VariableScaleDecimal}</td><td>numeric</td>
 *       <td>{@link NumericMapping}: string, double or decimal(P,S)</td></tr>
 *   <tr><td>{@code dev.floe.Float32} / {@code dev.floe.Float64} (text)</td>
 *       <td>real / double precision</td><td>float / double</td></tr>
 *   <tr><td>{@code dev.floe.Decimal} (text)</td><td>numeric(p,s) / numeric</td>
 *       <td>decimal(p,s) / {@link NumericMapping}</td></tr>
 *   <tr><td>MAP</td><td>hstore (map mode)</td><td>map</td></tr>
 *   <tr><td>STRUCT</td><td>point, geometry</td><td>struct</td></tr>
 * </table>
 */
public final class TypeMapping {
  static final String DBZ_DATE = "io.debezium.time.Date";
  static final String DBZ_TIME_MILLIS = "io.debezium.time.Time";
  static final String DBZ_TIME_MICROS = "io.debezium.time.MicroTime";
  static final String DBZ_TIMESTAMP_MILLIS = "io.debezium.time.Timestamp";
  static final String DBZ_TIMESTAMP_MICROS = "io.debezium.time.MicroTimestamp";
  static final String DBZ_TIMESTAMP_NANOS = "io.debezium.time.NanoTimestamp";
  static final String DBZ_ZONED_TIMESTAMP = "io.debezium.time.ZonedTimestamp";
  static final String DBZ_UUID = "io.debezium.data.Uuid";
  static final String DECIMAL_PRECISION = "connect.decimal.precision";
  static final String DBZ_VARIABLE_SCALE_DECIMAL = "io.debezium.data.VariableScaleDecimal";

  /**
   * The scale of {@code numeric} without a declared scale in tables that map it to a decimal
   * without saying which ({@link NumericMapping#DECIMAL}): a value that does not fit is kept as
   * text ({@link UnrepresentableValues}), never rounded.
   */
  static final int UNCONSTRAINED_NUMERIC_SCALE = 18;

  /** The most digits an Iceberg decimal holds. */
  static final int MAX_DECIMAL_PRECISION = 38;

  private TypeMapping() {}

  /**
   * The Iceberg schema for a row: one optional field per column, except the key columns, which are
   * required and become the table's identifier fields.
   */
  public static Schema toIcebergSchema(
      org.apache.kafka.connect.data.Schema rowSchema, Set<String> keyColumns) {
    return toIcebergSchema(rowSchema, keyColumns, NumericMapping.DEFAULT);
  }

  /** As {@link #toIcebergSchema(org.apache.kafka.connect.data.Schema, Set)}, with a mapping. */
  public static Schema toIcebergSchema(
      org.apache.kafka.connect.data.Schema rowSchema,
      Set<String> keyColumns,
      NumericMapping numeric) {
    AtomicInteger ids = new AtomicInteger(0);
    List<NestedField> fields = new ArrayList<>();
    List<Integer> identifiers = new ArrayList<>();
    for (Field column : rowSchema.fields()) {
      int id = ids.incrementAndGet();
      Type type = toIcebergType(column.name(), column.schema(), ids, numeric);
      boolean key = keyColumns.contains(column.name());
      fields.add(
          key
              ? NestedField.required(id, column.name(), type)
              : NestedField.optional(id, column.name(), type));
      if (key) {
        identifiers.add(id);
      }
    }
    if (identifiers.size() != keyColumns.size()) {
      throw new DataException(
          "Key columns " + keyColumns + " are not all columns of the row " + rowSchema.name());
    }
    try {
      return new Schema(fields, Set.copyOf(identifiers));
    } catch (IllegalArgumentException refused) {
      // e.g. a real or double precision key column, which Iceberg refuses as an identifier field
      throw new DataException(
          "Iceberg cannot make a table of the columns of "
              + rowSchema.name()
              + " keyed by "
              + keyColumns
              + ": "
              + refused.getMessage(),
          refused);
    }
  }

  static Type toIcebergType(
      String column,
      org.apache.kafka.connect.data.Schema schema,
      AtomicInteger ids,
      NumericMapping numeric) {
    if (isUnconstrainedNumeric(schema)) {
      return numeric.type();
    }
    String name = schema.name() == null ? "" : schema.name();
    switch (name) {
      case Decimal.LOGICAL_NAME:
        return decimalType(column, schema);
      case DBZ_UUID:
        return Types.UUIDType.get();
      case DBZ_DATE:
      case org.apache.kafka.connect.data.Date.LOGICAL_NAME:
        return Types.DateType.get();
      case DBZ_TIME_MILLIS:
      case DBZ_TIME_MICROS:
      case org.apache.kafka.connect.data.Time.LOGICAL_NAME:
        return Types.TimeType.get();
      case DBZ_TIMESTAMP_MILLIS:
      case DBZ_TIMESTAMP_MICROS:
      case DBZ_TIMESTAMP_NANOS:
      case org.apache.kafka.connect.data.Timestamp.LOGICAL_NAME:
        return Types.TimestampType.withoutZone();
      case DBZ_ZONED_TIMESTAMP:
        return Types.TimestampType.withZone();
      // Floe's source writes these as text, so NaN, infinities and -0.0 survive JSON
      case ExactValueSchemas.FLOAT32:
        return Types.FloatType.get();
      case ExactValueSchemas.FLOAT64:
        return Types.DoubleType.get();
      case ExactValueSchemas.DECIMAL:
        return decimalType(column, schema);
      default:
        break;
    }
    switch (schema.type()) {
      case INT8:
      case INT16:
      case INT32:
        return Types.IntegerType.get();
      case INT64:
        return Types.LongType.get();
      case FLOAT32:
        return Types.FloatType.get();
      case FLOAT64:
        return Types.DoubleType.get();
      case BOOLEAN:
        return Types.BooleanType.get();
      case STRING:
        return Types.StringType.get();
      case BYTES:
        return Types.BinaryType.get();
      case ARRAY:
        Type element = toIcebergType(column, schema.valueSchema(), ids, numeric);
        return Types.ListType.ofOptional(ids.incrementAndGet(), element);
      case MAP:
        Type key = toIcebergType(column, schema.keySchema(), ids, numeric);
        Type value = toIcebergType(column, schema.valueSchema(), ids, numeric);
        return Types.MapType.ofOptional(ids.incrementAndGet(), ids.incrementAndGet(), key, value);
      case STRUCT:
        List<NestedField> fields = new ArrayList<>();
        for (Field field : schema.fields()) {
          Type type = toIcebergType(column + "." + field.name(), field.schema(), ids, numeric);
          fields.add(NestedField.optional(ids.incrementAndGet(), field.name(), type));
        }
        return Types.StructType.of(fields);
      default:
        throw new DataException(
            "Column '"
                + column
                + "' has a type the sink cannot map yet: "
                + schema.type()
                + (name.isEmpty() ? "" : " (" + name + ")"));
    }
  }

  /**
   * Whether {@code schema} is Postgres {@code numeric} declared without precision and scale:
   * Debezium's {@code VariableScaleDecimal}, or Floe's {@code dev.floe.Decimal} text without
   * parameters.
   */
  static boolean isUnconstrainedNumeric(org.apache.kafka.connect.data.Schema schema) {
    String name = schema.name();
    return DBZ_VARIABLE_SCALE_DECIMAL.equals(name)
        || (ExactValueSchemas.DECIMAL.equals(name)
            && (schema.parameters() == null
                || !schema.parameters().containsKey(Decimal.SCALE_FIELD)));
  }

  /** Whether {@code schema} is a Postgres {@code numeric}, with or without precision and scale. */
  static boolean isNumeric(org.apache.kafka.connect.data.Schema schema) {
    return Decimal.LOGICAL_NAME.equals(schema.name())
        || DBZ_VARIABLE_SCALE_DECIMAL.equals(schema.name())
        || ExactValueSchemas.DECIMAL.equals(schema.name());
  }

  private static Type decimalType(String column, org.apache.kafka.connect.data.Schema schema) {
    int scale = Integer.parseInt(schema.parameters().get(Decimal.SCALE_FIELD));
    String declared = schema.parameters().get(DECIMAL_PRECISION);
    // numeric without a declared precision arrives without one: 38 is the most Iceberg can hold
    int precision = declared == null ? MAX_DECIMAL_PRECISION : Integer.parseInt(declared);
    if (precision > MAX_DECIMAL_PRECISION || scale > precision || scale < 0) {
      throw new DataException(
          "Column '"
              + column
              + "' is numeric("
              + precision
              + ", "
              + scale
              + "), which no Iceberg decimal can hold (at most 38 digits, a scale from 0 to the"
              + " precision). Declare it numeric(38, "
              + Math.max(0, Math.min(scale, MAX_DECIMAL_PRECISION))
              + ") or narrower in Postgres, or as plain numeric (mapped as"
              + " iceberg.tables.unconstrained-numeric says), or cast it to text with a"
              + " transform.");
    }
    return Types.DecimalType.of(precision, scale);
  }
}
