package dev.floe.source.convert;

import dev.floe.common.debezium.ExactValueSchemas;
import dev.floe.source.config.MultiDimensionalArrays;
import io.debezium.connector.postgresql.UnchangedToastedReplicationMessageColumn;
import io.debezium.spi.converter.CustomConverter;
import io.debezium.spi.converter.RelationalColumn;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.connect.data.SchemaBuilder;

/**
 * A Debezium {@link CustomConverter} that carries the Postgres values Debezium's defaults plus
 * Kafka's JSON converter would lose, so they reach the sink exactly, on the snapshot and on the WAL
 * alike:
 *
 * <ul>
 *   <li>{@code real}, {@code double precision}: as text ({@link ExactValueSchemas#FLOAT32}, {@link
 *       ExactValueSchemas#FLOAT64}), because JSON has no NaN, no infinities and the JSON converter
 *       writes {@code -0.0} as {@code 0.0};
 *   <li>{@code date}: Debezium's {@code io.debezium.time.Date} with the era kept on the snapshot
 *       too, and {@code ±infinity} as documented sentinels rather than overflowed day numbers;
 *   <li>{@code numeric}: as text ({@link ExactValueSchemas#DECIMAL}), because Debezium's precise
 *       decimals cannot hold {@code NaN} or {@code ±Infinity} and fail the source task on them;
 *   <li>{@code real[]}, {@code double precision[]}, {@code date[]}, {@code numeric[]}: arrays of
 *       the above (the driver cannot read a numeric array holding {@code NaN}: Debezium sent the
 *       whole column as null);
 *   <li>{@code smallint[]}, {@code timestamptz[]}, {@code timestamp[]}, {@code time[]}: in
 *       Debezium's encodings of the same scalars ({@link TemporalText}), so that a large one an
 *       update leaves unchanged arrives as the placeholder, where Debezium sent a null.
 * </ul>
 *
 * <p>A value Postgres did not send (an unchanged TOASTed numeric or array, without REPLICA IDENTITY
 * FULL) becomes the connector's {@code unavailable.value.placeholder}, shaped as Debezium shapes it
 * for text and int arrays, never a null the sink could not tell from a real one.
 *
 * <p>Types Debezium has no conversion for (composite types, {@code tsquery}, geometric types and
 * more: {@link PostgresText}) are carried as their Postgres text.
 *
 * <p>An array column declared with several dimensions ({@code int[][]}) is carried as its Postgres
 * text ({@code {{1,2},{3,4}}}): Postgres does not hold such a column to one shape ({@link
 * MultiDimensionalArrays}).
 *
 * <p>A domain's column is converted as its base type ({@link dev.floe.source.config.DomainTypes}).
 *
 * <p>Registered by Floe's source defaults as {@code converters=floe}. Debezium hands the converter
 * what the JDBC driver returned during the snapshot and what it decoded from pgoutput's text while
 * streaming; each encoding accepts both.
 */
public class SpecialValuesConverter implements CustomConverter<SchemaBuilder, RelationalColumn> {
  /** The converter's copy of the connector's setting (Floe's source defaults pass it on). */
  public static final String PLACEHOLDER = "unavailable.value.placeholder";

  /** The converter's copy of the database's domains: name → base type name. */
  public static final String DOMAINS = "domains";

  /** The converter's copy of the array columns declared with several dimensions. */
  public static final String MULTIDIMENSIONAL = "multidimensional.columns";

  private UnchangedValues unchanged = UnchangedValues.of(null);
  private Map<String, String> domains = Map.of();
  private Set<String> multiDimensional = Set.of();

  @Override
  public void configure(Properties props) {
    // the encodings are the topic contract the sink reads; only the placeholder is configurable
    unchanged = UnchangedValues.of(props.getProperty(PLACEHOLDER));
    domains = pairs(props.getProperty(DOMAINS, ""));
    multiDimensional = MultiDimensionalArrays.parse(props.getProperty(MULTIDIMENSIONAL));
  }

  private static Map<String, String> pairs(String setting) {
    Map<String, String> pairs = new HashMap<>();
    for (String pair : setting.split(",")) {
      int equals = pair.indexOf('=');
      if (equals > 0) {
        pairs.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
      }
    }
    return pairs;
  }

  /**
   * The types carried as their Postgres text (composite types as {@code record}, enum arrays as
   * {@code _enum}), whose unchanged TOASTed values this converter sends as the placeholder.
   */
  public static Set<String> typesCarriedAsText() {
    return PostgresText.types();
  }

  /** A column's type as this converter picks its encoding: a domain's is its base type's. */
  private String typeOf(RelationalColumn column) {
    String name = column.typeName().toLowerCase(Locale.ROOT);
    String unqualified = name.substring(name.lastIndexOf('.') + 1).replace("\"", "");
    return domains.getOrDefault(unqualified, domains.getOrDefault(column.typeName(), name));
  }

  @Override
  public void converterFor(
      RelationalColumn column, ConverterRegistration<SchemaBuilder> registration) {
    if (declaredMultiDimensional(column)) {
      register(registration, SchemaBuilder.string(), ArrayValues::text, unchanged.text());
      return;
    }
    switch (typeOf(column)) {
      case "float4":
        register(
            registration,
            FloatText.schema(ExactValueSchemas.FLOAT32),
            FloatText::real,
            unchanged.text());
        break;
      case "float8":
        register(
            registration,
            FloatText.schema(ExactValueSchemas.FLOAT64),
            FloatText::doublePrecision,
            unchanged.text());
        break;
      case "date":
        register(registration, io.debezium.time.Date.builder(), EpochDays::of, null);
        break;
      case "numeric":
        register(
            registration,
            DecimalText.schema(column.length(), column.scale()),
            value -> DecimalText.of(value, column.scale()),
            unchanged.text());
        break;
      case "_float4":
        register(
            registration,
            ArrayValues.schema(FloatText.schema(ExactValueSchemas.FLOAT32)),
            value -> ArrayValues.each(value, FloatText::real),
            unchanged.textList());
        break;
      case "_float8":
        register(
            registration,
            ArrayValues.schema(FloatText.schema(ExactValueSchemas.FLOAT64)),
            value -> ArrayValues.each(value, FloatText::doublePrecision),
            unchanged.textList());
        break;
      case "_numeric":
        register(
            registration,
            ArrayValues.schema(DecimalText.schema(column.length(), column.scale())),
            value -> ArrayValues.eachOfText(value, text -> DecimalText.of(text, column.scale())),
            unchanged.textList());
        break;
      case "_int2":
        register(
            registration,
            ArrayValues.schema(SchemaBuilder.int16()),
            value -> ArrayValues.eachOfText(value, text -> Short.valueOf(text.toString())),
            unchanged.shortList());
        break;
      case "_timestamptz":
        register(
            registration,
            ArrayValues.schema(io.debezium.time.ZonedTimestamp.builder()),
            value -> ArrayValues.eachOfText(value, TemporalText::zonedTimestamp),
            unchanged.textList());
        break;
      case "_timestamp":
        register(
            registration,
            ArrayValues.schema(io.debezium.time.MicroTimestamp.builder()),
            value -> ArrayValues.eachOfText(value, TemporalText::microTimestamp),
            unchanged.longList());
        break;
      case "_timetz":
        register(
            registration,
            ArrayValues.schema(io.debezium.time.ZonedTime.builder()),
            value -> ArrayValues.eachOfText(value, TemporalText::zonedTime),
            unchanged.textList());
        break;
      case "_time":
        register(
            registration,
            ArrayValues.schema(io.debezium.time.MicroTime.builder()),
            value -> ArrayValues.eachOfText(value, TemporalText::microTime),
            unchanged.longList());
        break;
      case "_date":
        register(
            registration,
            ArrayValues.schema(io.debezium.time.Date.builder()),
            value -> ArrayValues.each(value, EpochDays::of),
            unchanged.byteList());
        break;
      case "bit", "varbit":
        // Debezium's bytes drop a bit string's length and its leading zeros (B'00001', B'001'
        // and B'1' all became 0x01, B'000' empty): as Postgres writes it, 10110, it is exact.
        // bit(1) stays Debezium's boolean, which is exact.
        if (column.length().orElse(2) > 1) {
          register(
              registration,
              SchemaBuilder.string(),
              value -> PostgresText.of("bit", value),
              unchanged.text());
        }
        break;
      default:
        String type = typeOf(column);
        if (PostgresText.carries(type)) {
          register(
              registration,
              SchemaBuilder.string(),
              value -> PostgresText.of(type, value),
              unchanged.text());
        } else if (PostgresText.carriesElementsOf(type)) {
          register(
              registration,
              ArrayValues.schema(SchemaBuilder.string()),
              // a box's elements are separated by ';' (its text holds commas)
              value ->
                  ArrayValues.eachOfText(value, type.equals("_box") ? ';' : ',', Object::toString),
              unchanged.textList());
        }
        break; // every other type keeps Debezium's own conversion
    }
  }

  /** Whether the column is an array declared with several dimensions ({@code int[][]}). */
  private boolean declaredMultiDimensional(RelationalColumn column) {
    if (multiDimensional.isEmpty()) {
      return false;
    }
    String table = column.dataCollection();
    // the table as schema.table, with or without the database in front
    return multiDimensional.contains(table + "." + column.name())
        || multiDimensional.contains(table.substring(table.indexOf('.') + 1) + "." + column.name());
  }

  /**
   * @param whenUnchanged what an unchanged TOASTed value (Debezium's marker, not a value) becomes:
   *     the placeholder in the form Debezium gives it for a column of the same shape, so the sink
   *     recognizes it and fills in the real value
   */
  private static void register(
      ConverterRegistration<SchemaBuilder> registration,
      SchemaBuilder schema,
      Function<Object, Object> encoding,
      Object whenUnchanged) {
    // Optional even for NOT NULL columns: a delete's before-image without REPLICA IDENTITY FULL
    // holds only the key, and Debezium would otherwise need a made-up value for the rest.
    schema.optional();
    registration.register(
        schema,
        value -> {
          if (value == null) {
            return null;
          }
          if (UnchangedToastedReplicationMessageColumn.isUnchangedToastedValue(value)) {
            return whenUnchanged;
          }
          return encoding.apply(value);
        });
  }
}
