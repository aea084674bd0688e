package dev.floe.sink.schema;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.types.Types.NestedField;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

/**
 * Converts a Debezium row ({@link Struct}) into an Iceberg {@link Record} of a table's schema,
 * value by value, following {@link TypeMapping}. A column the table does not have is an error, not
 * a silent drop.
 */
public final class RowConverter {
  private final Schema tableSchema;
  private final ColumnTargets targets;
  private final UnavailableValues unavailable;
  private final Set<Integer> keyColumns;
  private RowShape lastShape;
  private final boolean keepsText; // the table has a column for values kept as text
  // filled by the row being converted, copied into it only when not empty (mostly it is)
  private final Map<String, String> keptScratch = new TreeMap<>();

  public RowConverter(Schema tableSchema) {
    this(tableSchema, Map.of(), UnavailableValues.DEFAULT);
  }

  /**
   * @param aliases top-level column names to write under another name: a renamed column's old name
   *     to its new one, for rows of the old shape that arrive after the rename
   * @param unavailable the forms of the source's placeholder for values Postgres did not send
   */
  public RowConverter(
      Schema tableSchema, Map<String, String> aliases, UnavailableValues unavailable) {
    this(tableSchema, aliases, ColumnNumbering.none(), unavailable);
  }

  /**
   * @param numbering the Postgres column each table column holds: rows that carry their columns'
   *     numbers go to the columns of the same numbers, whatever their names
   */
  public RowConverter(
      Schema tableSchema,
      Map<String, String> aliases,
      ColumnNumbering numbering,
      UnavailableValues unavailable) {
    this(tableSchema, aliases, numbering, unavailable, tableSchema.identifierFieldIds());
  }

  private RowConverter(
      Schema tableSchema,
      Map<String, String> aliases,
      ColumnNumbering numbering,
      UnavailableValues unavailable,
      Set<Integer> keyColumns) {
    this.tableSchema = tableSchema;
    this.targets = new ColumnTargets(tableSchema, aliases, numbering);
    this.unavailable = unavailable;
    this.keyColumns = keyColumns;
    this.keepsText = tableSchema.findField(ChangeMetadata.UNREPRESENTABLE) != null;
  }

  /**
   * A converter of keys to records of {@code keySchema} (the table's identifier fields), every
   * column a key column: {@link #toKey}.
   */
  public static RowConverter forKeys(Schema keySchema) {
    Set<Integer> keyColumns = new HashSet<>();
    keySchema.columns().forEach(column -> keyColumns.add(column.fieldId()));
    return new RowConverter(
        keySchema, Map.of(), ColumnNumbering.none(), UnavailableValues.DEFAULT, keyColumns);
  }

  /** The key as a record of this converter's key schema ({@link #forKeys}). */
  public Record toKey(Struct key) {
    return convertStruct(key, shapeOf(key, null), null, null, null);
  }

  /**
   * The shape of rows of {@code row}'s schema: the last one kept, as a task's rows mostly share one
   * schema object (the converters cache theirs); a new one for another schema, never a growing map
   * (a converter that made a schema object per record would fill it).
   */
  private RowShape shapeOf(Struct row, String numbers) {
    RowShape shape = lastShape;
    if (shape == null || !shape.describes(row.schema(), numbers)) {
      shape =
          RowShape.of(
              row.schema(),
              numbers,
              tableSchema.asStruct(),
              targets.of(row.schema(), numbers),
              keyColumns);
      lastShape = shape;
    }
    return shape;
  }

  /**
   * The row (or a key: its columns are the table's too) as a record of the full table schema;
   * columns absent from it stay null. A placeholder for a value Postgres did not send is refused:
   * use {@link #toRecord(Struct, Set)} where the value can be filled in.
   */
  public Record toRecord(Struct row) {
    Set<String> missing = new HashSet<>(0);
    Record record = toRecord(row, missing);
    if (!missing.isEmpty()) {
      throw new DataException(
          "Columns "
              + missing
              + " hold the placeholder for a value Postgres did not send (an unchanged TOASTed"
              + " value), and nothing here can fill them in.");
    }
    return record;
  }

  /**
   * As {@link #toRecord(Struct)}, but a column holding the placeholder for a value Postgres did not
   * send is left null and its (Iceberg) name added to {@code unavailableColumns}, to be filled from
   * the row's last state.
   */
  public Record toRecord(Struct row, Set<String> unavailableColumns) {
    return toRecord(row, unavailableColumns, null);
  }

  /**
   * As {@link #toRecord(Struct, Set)}, for a row whose columns carry their Postgres numbers ({@link
   * dev.floe.sink.event.ChangeEvent#columnNumbers()}; null when they do not).
   */
  public Record toRecord(Struct row, Set<String> unavailableColumns, String columnNumbers) {
    Map<String, String> keptAsText = keepsText ? keptScratch : null;
    keptScratch.clear(); // a refused row may have left some
    Record record =
        convertStruct(
            row, shapeOf(row, columnNumbers), unavailableColumns, unavailable, keptAsText);
    if (keepsText && !keptScratch.isEmpty()) {
      record.setField(ChangeMetadata.UNREPRESENTABLE, new TreeMap<>(keptScratch));
    }
    return record;
  }

  private static Record convertStruct(
      Struct struct,
      RowShape shape,
      Set<String> unavailableColumns,
      UnavailableValues unavailable,
      Map<String, String> keptAsText) {
    GenericRecord record = shape.newRecord();
    for (int i = 0; i < shape.size(); i++) {
      Field column = shape.field(i);
      NestedField target = shape.target(i);
      boolean key = shape.isKey(i);
      if (target == null) {
        throw new DataException(
            "Column '"
                + column.name()
                + "' is not in the Iceberg table: the row cannot be applied without losing it.");
      }
      Object value = shape.value(struct, i); // a NULL stays null, never the default
      if (unavailableColumns != null && value != null && unavailable.isPlaceholder(value)) {
        unavailableColumns.add(target.name());
        continue; // left null: filled from the row's last state before it is written
      }
      if (value == null && key) {
        throw new DataException(
            "Key column '"
                + column.name()
                + "' holds null, so the change cannot be matched to one row. (A delete made"
                + " before the primary key changed carries only the old key's columns unless the"
                + " Postgres table has REPLICA IDENTITY FULL.)");
      }
      if (value == null && target.isRequired()) {
        throw requiredNull(column.name());
      }
      Object converted;
      try {
        converted = value == null ? null : convertValue(column, value, target);
      } catch (UnrepresentableValues.ValueException unrepresentable) {
        if (keptAsText == null || key || target.isRequired()) {
          throw refused(unrepresentable, keptAsText != null);
        }
        keptAsText.put(target.name(), unrepresentable.text());
        converted = null; // the row is kept: the map says why this column is null
      }
      record.set(shape.position(i), converted);
    }
    return record;
  }

  /**
   * A value its column cannot hold, in a key, a required column or a table without {@value
   * ChangeMetadata#UNREPRESENTABLE}: the record is refused, saying how to keep such rows.
   */
  private static DataException refused(
      UnrepresentableValues.ValueException cause, boolean tableKeeps) {
    return new DataException(
        cause.getMessage()
            + (tableKeeps
                ? ": a key or required column must hold its value, so the record is refused."
                : ". The sink keeps such a row, the column null and the value's text in "
                    + ChangeMetadata.UNREPRESENTABLE
                    + ", in tables that have that column: it is added when the table is"
                    + " created or its schema evolves (iceberg.tables.evolve-schema=true), or add"
                    + " it yourself as map<string, string>."),
        cause);
  }

  /**
   * A null where the table's column is required (declared so in a table created by hand). Parquet
   * would refuse it only when the flush is written, failing the whole commit again on every
   * restart; refused here, it is this record's own fault.
   */
  private static DataException requiredNull(String column) {
    return new DataException(
        "Column '"
            + column
            + "' is required in the Iceberg table and the row holds null: send a value, or make"
            + " the column optional in Iceberg (ALTER TABLE ... ALTER COLUMN ... DROP NOT NULL).");
  }

  /**
   * A struct nested in a column: every field it does not carry is null, so none may be required.
   */
  private static Record convertNested(String column, Struct value, Types.StructType type) {
    Record record =
        convertStruct(
            value, RowShape.of(value.schema(), null, type, Map.of(), Set.of()), null, null, null);
    for (NestedField field : type.fields()) {
      if (field.isRequired() && record.getField(field.name()) == null) {
        throw requiredNull(column + "." + field.name());
      }
    }
    return record;
  }

  /**
   * {@code column}'s default value ({@code schema().defaultValue()}: Debezium's reading of the
   * column's DEFAULT), converted as a value of the column would be to Iceberg {@code type}.
   *
   * @throws DataException when the column cannot hold it
   */
  static Object defaultOf(Field column, Type type) {
    Object value = column.schema().defaultValue();
    if (value == null) {
      return null;
    }
    return convertValue(column, value, Types.NestedField.optional(0, column.name(), type));
  }

  private static Object convertValue(Field column, Object value, NestedField target) {
    try {
      return convert(column.name(), value, column.schema(), target.type());
    } catch (ArithmeticException
        | DateTimeException
        | ClassCastException
        | IllegalArgumentException e) { // NumberFormatException; UUID.fromString's refusal
      throw new DataException(
          "Column '"
              + column.name()
              + "': cannot hold "
              + value
              + " as "
              + target.type()
              + " ("
              + e.getMessage()
              + ")",
          e);
    }
  }

  private static Object convert(
      String column, Object value, org.apache.kafka.connect.data.Schema schema, Type type) {
    switch (type.typeId()) {
      case INTEGER:
        return ((Number) value).intValue();
      case LONG:
        return ((Number) value).longValue();
      case FLOAT: // Floe's source sends text ("NaN", "-0.0"); other producers a number
        return value instanceof String text
            ? Float.parseFloat(text)
            : ((Number) value).floatValue();
      case DOUBLE:
        if (TypeMapping.isNumeric(schema)) {
          return numericDouble(column, value, type);
        }
        return value instanceof String text
            ? Double.parseDouble(text)
            : ((Number) value).doubleValue();
      case BOOLEAN:
        return value;
      case STRING: // a numeric in a string column: its exact text
        return value instanceof String ? value : numericText(value);
      case BINARY:
        return value instanceof byte[] bytes ? ByteBuffer.wrap(bytes) : value;
      case DECIMAL:
        return decimal(column, value, (Types.DecimalType) type);
      case MAP:
        Types.MapType mapType = (Types.MapType) type;
        Map<Object, Object> map = new LinkedHashMap<>();
        try {
          for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
            if (e.getKey() == null || (e.getValue() == null && mapType.isValueRequired())) {
              throw requiredNull(column + (e.getKey() == null ? " (a map key)" : "{}"));
            }
            map.put(
                convert(column, e.getKey(), schema.keySchema(), mapType.keyType()),
                e.getValue() == null
                    ? null
                    : convert(column, e.getValue(), schema.valueSchema(), mapType.valueType()));
          }
        } catch (UnrepresentableValues.ValueException unrepresentable) {
          // kept as text, the map would keep only the one value: refused whole instead
          throw new DataException(unrepresentable.getMessage() + ", in a map", unrepresentable);
        }
        return map;
      case STRUCT:
        return convertNested(column, (Struct) value, (Types.StructType) type);
      case UUID:
        return UUID.fromString((String) value);
      case DATE:
        return value instanceof java.util.Date date
            ? LocalDate.ofInstant(date.toInstant(), ZoneOffset.UTC)
            : LocalDate.ofEpochDay(((Number) value).longValue());
      case TIME:
        return time(column, value);
      case TIMESTAMP:
        return ((Types.TimestampType) type).shouldAdjustToUTC()
            ? zonedTimestamp((String) value)
            : timestamp(value, schema.name());
      case LIST:
        Type element = ((Types.ListType) type).elementType();
        List<Object> out = new ArrayList<>();
        boolean elementRequired = ((Types.ListType) type).isElementRequired();
        try {
          for (Object item : (List<?>) value) {
            if (item == null && elementRequired) {
              throw requiredNull(column + "[]");
            }
            out.add(item == null ? null : convert(column, item, schema.valueSchema(), element));
          }
        } catch (UnrepresentableValues.ValueException unrepresentable) {
          throw UnrepresentableValues.inList(column, (List<?>) value, type, unrepresentable);
        }
        return out;
      default:
        throw new DataException("Column '" + column + "': no conversion to Iceberg " + type);
    }
  }

  /**
   * Exact or kept as text: a value is never rounded to fit its column. A value the decimal cannot
   * hold (too many digits, {@code NaN}, {@code ±Infinity}) is an {@link
   * UnrepresentableValues.ValueException}.
   */
  private static BigDecimal decimal(String column, Object value, Types.DecimalType type) {
    if (value instanceof String text && isSpecial(text)) {
      throw new UnrepresentableValues.ValueException(
          column, text, type, "a decimal holds finite numbers only");
    }
    BigDecimal decimal = numeric(value);
    BigDecimal scaled;
    try {
      scaled = decimal.setScale(type.scale()); // throws ArithmeticException if it rounds
    } catch (ArithmeticException rounds) {
      throw new UnrepresentableValues.ValueException(
          column, decimal.toPlainString(), type, "more fractional digits than its scale");
    }
    if (scaled.precision() > type.precision()) {
      throw new UnrepresentableValues.ValueException(
          column, decimal.toPlainString(), type, "more digits than its precision");
    }
    return scaled;
  }

  /** Postgres's numeric {@code NaN}, {@code Infinity}, {@code -Infinity}, as Floe sends them. */
  private static boolean isSpecial(String text) {
    return text.equals("NaN") || text.endsWith("Infinity");
  }

  /**
   * A numeric value as Debezium ({@code VariableScaleDecimal}, Decimal) or Floe (text) sends it.
   */
  private static BigDecimal numeric(Object value) {
    if (value instanceof Struct variableScale) { // io.debezium.data.VariableScaleDecimal
      return new BigDecimal(
          new BigInteger(variableScale.getBytes("value")), variableScale.getInt32("scale"));
    }
    if (value instanceof String text) { // Floe's source: dev.floe.Decimal
      return new BigDecimal(text);
    }
    return (BigDecimal) value;
  }

  /** A numeric's exact text: Floe's as it came, else the plain decimal. */
  private static String numericText(Object value) {
    return value instanceof String text ? text : numeric(value).toPlainString();
  }

  /**
   * The double nearest a numeric, as the user asked by mapping it so; {@code NaN} and infinities as
   * themselves. A finite value beyond the double's range (it would read as an infinity or as zero)
   * is an {@link UnrepresentableValues.ValueException}.
   */
  private static double numericDouble(String column, Object value, Type type) {
    if (value instanceof String text && isSpecial(text)) {
      return Double.parseDouble(text);
    }
    BigDecimal exact = numeric(value);
    double nearest = exact.doubleValue();
    if (Double.isInfinite(nearest) || (nearest == 0 && exact.signum() != 0)) {
      throw new UnrepresentableValues.ValueException(
          column, exact.toPlainString(), type, "beyond the range of a double");
    }
    return nearest;
  }

  /** A day's nanoseconds: Postgres's {@code time '24:00:00'}, which no Iceberg time holds. */
  private static final long END_OF_DAY_NANOS = 86_400_000_000_000L;

  private static LocalTime time(String column, Object value) {
    long nanos;
    if (value instanceof java.util.Date date) {
      nanos = date.getTime() * 1_000_000L;
    } else if (value instanceof Integer millis) {
      nanos = millis * 1_000_000L;
    } else {
      nanos = ((Number) value).longValue() * 1_000L;
    }
    if (nanos == END_OF_DAY_NANOS) {
      throw new UnrepresentableValues.ValueException(
          column, "24:00:00", Types.TimeType.get(), "an Iceberg time ends before midnight");
    }
    return LocalTime.ofNanoOfDay(nanos);
  }

  /**
   * Postgres's {@code infinity} and {@code -infinity} for timestamptz: Debezium sends them as text,
   * and the sink writes the same sentinels Debezium uses for timestamp (pgjdbc's infinity values,
   * read as microseconds), so both kinds of column say "infinity" the same way.
   */
  static final long POSITIVE_INFINITY_MICROS = 9223372036825200000L;

  static final long NEGATIVE_INFINITY_MICROS = -9223372036832400000L;

  private static OffsetDateTime zonedTimestamp(String text) {
    if ("infinity".equals(text) || "-infinity".equals(text)) {
      long micros = text.startsWith("-") ? NEGATIVE_INFINITY_MICROS : POSITIVE_INFINITY_MICROS;
      return OffsetDateTime.of(timestamp(micros, TypeMapping.DBZ_TIMESTAMP_MICROS), ZoneOffset.UTC);
    }
    return UtcTimestampText.parse(text);
  }

  private static LocalDateTime timestamp(Object value, String semanticType) {
    if (value instanceof java.util.Date date) {
      return LocalDateTime.ofInstant(date.toInstant(), ZoneOffset.UTC);
    }
    long raw = ((Number) value).longValue();
    // Debezium's adaptive precision picks the unit per column: millis up to timestamp(3), micros
    // above. Seconds first, so Debezium's sentinels for +-infinity (near Long.MAX_VALUE micros)
    // convert without overflow and are written back as the same microseconds.
    long perSecond =
        TypeMapping.DBZ_TIMESTAMP_MILLIS.equals(semanticType)
            ? 1_000L
            : TypeMapping.DBZ_TIMESTAMP_NANOS.equals(semanticType) ? 1_000_000_000L : 1_000_000L;
    long nanosPerUnit = 1_000_000_000L / perSecond;
    return LocalDateTime.ofEpochSecond(
        Math.floorDiv(raw, perSecond),
        (int) (Math.floorMod(raw, perSecond) * nanosPerUnit),
        ZoneOffset.UTC);
  }
}
