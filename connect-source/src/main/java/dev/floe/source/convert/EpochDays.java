package dev.floe.source.convert;

import dev.floe.common.debezium.ExactValueSchemas;
import io.debezium.connector.postgresql.PostgresValueConverter;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.SignStyle;
import java.time.format.TextStyle;
import java.time.temporal.ChronoField;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.Locale;
import org.postgresql.PGStatement;

/**
 * A Postgres {@code date} as days since 1970-01-01 (Debezium's {@code io.debezium.time.Date}), with
 * {@code infinity} and {@code -infinity} as {@link ExactValueSchemas#DATE_POSITIVE_INFINITY} and
 * {@link ExactValueSchemas#DATE_NEGATIVE_INFINITY}.
 */
final class EpochDays {
  /** Postgres's date text: ISO with an optional era ({@code 0044-03-15 BC}). */
  private static final DateTimeFormatter POSTGRES_DATE =
      new DateTimeFormatterBuilder()
          .appendValue(ChronoField.YEAR_OF_ERA, 4, 10, SignStyle.NEVER)
          .appendPattern("-MM-dd")
          .optionalStart()
          .appendLiteral(' ')
          .appendText(ChronoField.ERA, TextStyle.SHORT)
          .optionalEnd()
          .parseDefaulting(ChronoField.ERA, 1)
          .toFormatter(Locale.ROOT);

  private EpochDays() {}

  static int of(Object value) {
    if (value instanceof LocalDate date) {
      // the WAL: Debezium parsed pgoutput's text, era included, infinities as its own sentinels
      if (date.equals(PostgresValueConverter.POSITIVE_INFINITY_LOCAL_DATE)) {
        return ExactValueSchemas.DATE_POSITIVE_INFINITY;
      }
      if (date.equals(PostgresValueConverter.NEGATIVE_INFINITY_LOCAL_DATE)) {
        return ExactValueSchemas.DATE_NEGATIVE_INFINITY;
      }
      return Math.toIntExact(date.toEpochDay());
    }
    if (value instanceof java.util.Date date) {
      return ofDriverDate(date);
    }
    if (value instanceof Number days) {
      return days.intValue();
    }
    return ofText(value.toString());
  }

  /**
   * The snapshot: pgjdbc's {@link java.sql.Date}, whose infinities are marker instants and whose
   * calendar fields (era, year, month, day, in the JVM's zone) are Postgres's text. {@code
   * java.sql.Date#toLocalDate} drops the era, which is how a BC date lost it.
   */
  private static int ofDriverDate(java.util.Date date) {
    if (date.getTime() == PGStatement.DATE_POSITIVE_INFINITY) {
      return ExactValueSchemas.DATE_POSITIVE_INFINITY;
    }
    if (date.getTime() == PGStatement.DATE_NEGATIVE_INFINITY) {
      return ExactValueSchemas.DATE_NEGATIVE_INFINITY;
    }
    Calendar fields = new GregorianCalendar();
    fields.setTime(date);
    int yearOfEra = fields.get(Calendar.YEAR);
    int year = fields.get(Calendar.ERA) == GregorianCalendar.BC ? 1 - yearOfEra : yearOfEra;
    LocalDate local =
        LocalDate.of(year, fields.get(Calendar.MONTH) + 1, fields.get(Calendar.DAY_OF_MONTH));
    return Math.toIntExact(local.toEpochDay());
  }

  private static int ofText(String text) {
    switch (text) {
      case "infinity":
        return ExactValueSchemas.DATE_POSITIVE_INFINITY;
      case "-infinity":
        return ExactValueSchemas.DATE_NEGATIVE_INFINITY;
      default:
        return Math.toIntExact(LocalDate.parse(text, POSTGRES_DATE).toEpochDay());
    }
  }
}
