package dev.floe.source.convert;

import dev.floe.common.debezium.ExactValueSchemas;
import io.debezium.spi.converter.CustomConverter;
import io.debezium.spi.converter.RelationalColumn;
import java.util.Locale;
import java.util.Properties;
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
 *   <li>{@code real[]}, {@code double precision[]}, {@code date[]}: arrays of the above.
 * </ul>
 *
 * <p>Registered by Floe's source defaults as {@code converters=floe}. Debezium hands the converter
 * what the JDBC driver returned during the snapshot and what it decoded from pgoutput's text while
 * streaming; each encoding accepts both.
 */
public class SpecialValuesConverter implements CustomConverter<SchemaBuilder, RelationalColumn> {

  @Override
  public void configure(Properties props) {
    // nothing to configure: the encodings are the topic contract the sink reads
  }

  @Override
  public void converterFor(
      RelationalColumn column, ConverterRegistration<SchemaBuilder> registration) {
    switch (column.typeName().toLowerCase(Locale.ROOT)) {
      case "float4":
        register(
            column, registration, FloatText.schema(ExactValueSchemas.FLOAT32), FloatText::real);
        break;
      case "float8":
        register(
            column,
            registration,
            FloatText.schema(ExactValueSchemas.FLOAT64),
            FloatText::doublePrecision);
        break;
      case "date":
        register(column, registration, io.debezium.time.Date.builder(), EpochDays::of);
        break;
      case "numeric":
        register(
            column,
            registration,
            DecimalText.schema(column.length(), column.scale()),
            value -> DecimalText.of(value, column.scale()));
        break;
      case "_float4":
        register(
            column,
            registration,
            ArrayValues.schema(FloatText.schema(ExactValueSchemas.FLOAT32)),
            value -> ArrayValues.each(value, FloatText::real));
        break;
      case "_float8":
        register(
            column,
            registration,
            ArrayValues.schema(FloatText.schema(ExactValueSchemas.FLOAT64)),
            value -> ArrayValues.each(value, FloatText::doublePrecision));
        break;
      case "_date":
        register(
            column,
            registration,
            ArrayValues.schema(io.debezium.time.Date.builder()),
            value -> ArrayValues.each(value, EpochDays::of));
        break;
      default:
        break; // every other type keeps Debezium's own conversion
    }
  }

  private static void register(
      @SuppressWarnings("unused") RelationalColumn column,
      ConverterRegistration<SchemaBuilder> registration,
      SchemaBuilder schema,
      Function<Object, Object> encoding) {
    // Optional even for NOT NULL columns: a delete's before-image without REPLICA IDENTITY FULL
    // holds only the key, and Debezium would otherwise need a made-up value for the rest.
    schema.optional();
    registration.register(schema, value -> value == null ? null : encoding.apply(value));
  }
}
