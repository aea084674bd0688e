package dev.floe.sink.schema;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Reads Debezium's text for a timestamptz ({@code io.debezium.time.ZonedTimestamp}). Debezium
 * writes Postgres's instants in UTC, {@code 2026-01-01T10:15:30.123456Z}, and the JDK's formatter
 * ({@code OffsetDateTime.parse}) spent about a third of the sink's buffering time on it in the
 * apply path's profile (docs/benchmarks.md): it resolves every field through hash maps. That one
 * shape is read here directly; any other (an offset other than Z, a year outside 0000-9999, a
 * malformed text) goes to the JDK's formatter, which decides as before.
 */
final class UtcTimestampText {
  private UtcTimestampText() {}

  static OffsetDateTime parse(String text) {
    OffsetDateTime fast = utc(text);
    return fast != null ? fast : OffsetDateTime.parse(text);
  }

  /** {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z} read directly, or null for any other shape. */
  private static OffsetDateTime utc(String text) {
    int length = text.length();
    if (length < 20
        || text.charAt(length - 1) != 'Z'
        || text.charAt(4) != '-'
        || text.charAt(7) != '-'
        || text.charAt(10) != 'T'
        || text.charAt(13) != ':'
        || text.charAt(16) != ':') {
      return null;
    }
    int year = digits(text, 0, 4);
    int month = digits(text, 5, 7);
    int day = digits(text, 8, 10);
    int hour = digits(text, 11, 13);
    int minute = digits(text, 14, 16);
    int second = digits(text, 17, 19);
    int nanos = 0;
    if (length > 20) {
      int fractionDigits = length - 21;
      if (text.charAt(19) != '.' || fractionDigits < 1 || fractionDigits > 9) {
        return null;
      }
      int fraction = digits(text, 20, length - 1);
      if (fraction < 0) {
        return null;
      }
      nanos = fraction * POWERS_OF_TEN[9 - fractionDigits];
    }
    if ((year | month | day | hour | minute | second) < 0) {
      return null;
    }
    try {
      return OffsetDateTime.of(
          LocalDateTime.of(year, month, day, hour, minute, second, nanos), ZoneOffset.UTC);
    } catch (DateTimeException outOfRange) {
      return null; // February 30, hour 24: the JDK's formatter refuses it in its own words
    }
  }

  private static final int[] POWERS_OF_TEN = {
    1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000
  };

  /** The decimal number in {@code text[from, to)}, or -1 if a character is not a digit. */
  private static int digits(String text, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      int digit = text.charAt(i) - '0';
      if (digit < 0 || digit > 9) {
        return -1;
      }
      value = value * 10 + digit;
    }
    return value;
  }
}
