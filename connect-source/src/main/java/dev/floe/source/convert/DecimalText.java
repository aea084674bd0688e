package dev.floe.source.convert;

import dev.floe.common.debezium.ExactValueSchemas;
import io.debezium.data.SpecialValueDecimal;
import java.math.BigDecimal;
import java.util.OptionalInt;
import org.apache.kafka.connect.data.SchemaBuilder;

/**
 * A Postgres {@code numeric} as plain decimal text at the column's declared scale ({@code
 * "12.50"}), or {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}. Both paths hand Debezium's
 * {@link SpecialValueDecimal}; a {@link BigDecimal} or text is accepted too.
 */
final class DecimalText {
  /** What pgjdbc reports as the length of a {@code numeric} declared without a precision. */
  private static final int UNCONSTRAINED_LENGTH = 131089;

  private DecimalText() {}

  /** The precision and scale parameters only when the column declares them. */
  static SchemaBuilder schema(OptionalInt length, OptionalInt scale) {
    SchemaBuilder schema = SchemaBuilder.string().name(ExactValueSchemas.DECIMAL).version(1);
    int precision = length.orElse(0);
    if (precision > 0 && precision != UNCONSTRAINED_LENGTH) {
      schema.parameter(ExactValueSchemas.PRECISION, String.valueOf(precision));
      schema.parameter(ExactValueSchemas.SCALE, String.valueOf(scale.orElse(0)));
    }
    return schema;
  }

  static String of(Object value, OptionalInt scale) {
    BigDecimal decimal;
    if (value instanceof SpecialValueDecimal special) {
      if (special.getDecimalValue().isEmpty()) {
        return specialText(special);
      }
      decimal = special.getDecimalValue().get();
    } else if (value instanceof BigDecimal big) {
      decimal = big;
    } else {
      String text = value.toString();
      if (text.equals("NaN") || text.endsWith("Infinity")) {
        return text;
      }
      decimal = new BigDecimal(text);
    }
    // Postgres writes numeric(p,s) at its scale; the driver may hand fewer digits (12.5 for 12.50)
    int declared = scale.orElse(0);
    return (decimal.scale() < declared ? decimal.setScale(declared) : decimal).toPlainString();
  }

  private static String specialText(SpecialValueDecimal special) {
    if (special.equals(SpecialValueDecimal.POSITIVE_INF)) {
      return "Infinity";
    }
    if (special.equals(SpecialValueDecimal.NEGATIVE_INF)) {
      return "-Infinity";
    }
    return "NaN";
  }
}
