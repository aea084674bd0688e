package dev.floe.source.convert;

import org.apache.kafka.connect.data.SchemaBuilder;

/**
 * {@code real} and {@code double precision} as Java's shortest exact text: {@code "1.5"}, {@code
 * "NaN"}, {@code "Infinity"}, {@code "-Infinity"}, {@code "-0.0"}. The snapshot hands a {@link
 * Float} or {@link Double} from the JDBC driver, the WAL the same parsed from pgoutput's text;
 * Postgres's own text is accepted too.
 */
final class FloatText {
  private FloatText() {}

  static SchemaBuilder schema(String name) {
    return SchemaBuilder.string().name(name).version(1);
  }

  static String real(Object value) {
    return Float.toString(
        value instanceof Number number ? number.floatValue() : Float.parseFloat(value.toString()));
  }

  static String doublePrecision(Object value) {
    return Double.toString(
        value instanceof Number number
            ? number.doubleValue()
            : Double.parseDouble(value.toString()));
  }
}
