package dev.floe.source.convert;

import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.TimeZone;
import org.apache.kafka.connect.errors.DataException;
import org.postgresql.PGStatement;
import org.postgresql.jdbc.TimestampUtils;

/**
 * Array elements of Postgres's temporal types, from their text, in the encodings Debezium gives the
 * same types as columns: a {@code timestamptz} as UTC ISO-8601 text ({@code
 * io.debezium.time.ZonedTimestamp}), a {@code timestamp} as microseconds ({@code MicroTimestamp}),
 * a {@code time} as microseconds of the day ({@code MicroTime}). pgjdbc reads the text (era,
 * offsets, {@code infinity}) into java.time values, which keep the microseconds and the proleptic
 * calendar its {@code java.sql} ones lose.
 */
final class TemporalText {
  /** What Debezium sends for a {@code timestamp} column's {@code ±infinity}, kept alike. */
  static final long POSITIVE_INFINITY_MICROS = PGStatement.DATE_POSITIVE_INFINITY;

  static final long NEGATIVE_INFINITY_MICROS = PGStatement.DATE_NEGATIVE_INFINITY;
  private static final long DAY_MICROS = 86_400_000_000L;

  // a timestamptz's text carries its offset; a timestamp's none: the zone is never applied
  private static final TimestampUtils DRIVER =
      new TimestampUtils(false, () -> TimeZone.getTimeZone("UTC"));

  private TemporalText() {}

  static String zonedTimestamp(Object text) {
    String value = text.toString();
    if (value.equals("infinity") || value.equals("-infinity")) {
      return value; // the sink reads them as its largest and smallest timestamps
    }
    try {
      OffsetDateTime instant = DRIVER.toOffsetDateTime(value);
      return instant
          .withOffsetSameInstant(ZoneOffset.UTC)
          .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    } catch (SQLException e) {
      throw new DataException("Not a timestamptz: " + value, e);
    }
  }

  /**
   * A {@code timetz} as Debezium's {@code ZonedTime} gives the column, the instant's time in UTC
   * ({@code 08:15:30.5Z} for {@code 10:15:30.5+02}): Debezium's array conversion dropped the
   * fraction.
   */
  static String zonedTime(Object text) {
    String value = text.toString();
    try {
      return DRIVER
          .toOffsetTime(value)
          .withOffsetSameInstant(ZoneOffset.UTC)
          .format(DateTimeFormatter.ISO_OFFSET_TIME);
    } catch (SQLException e) {
      throw new DataException("Not a timetz: " + value, e);
    }
  }

  static long microTimestamp(Object text) {
    String value = text.toString();
    if (value.equals("infinity")) {
      return POSITIVE_INFINITY_MICROS;
    }
    if (value.equals("-infinity")) {
      return NEGATIVE_INFINITY_MICROS;
    }
    try {
      LocalDateTime local = DRIVER.toLocalDateTime(value);
      return Math.addExact(
          Math.multiplyExact(local.toEpochSecond(ZoneOffset.UTC), 1_000_000L),
          local.getNano() / 1_000);
    } catch (SQLException e) {
      throw new DataException("Not a timestamp: " + value, e);
    }
  }

  static long microTime(Object text) {
    String value = text.toString();
    // Postgres's 24:00:00 is the day's end: Debezium sends the day's microseconds for it
    return value.startsWith("24:") ? DAY_MICROS : LocalTime.parse(value).toNanoOfDay() / 1_000;
  }
}
