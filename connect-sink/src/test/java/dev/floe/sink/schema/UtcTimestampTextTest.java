package dev.floe.sink.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class UtcTimestampTextTest {

  /**
   * Every fraction width Debezium writes, over the years Postgres holds, reads as the JDK reads.
   */
  @Test
  void readsWhatTheJdkReads() {
    Random random = new Random(42);
    long min = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
    long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
    for (int i = 0; i < 20_000; i++) {
      Instant instant =
          Instant.ofEpochSecond(
              min + (long) (random.nextDouble() * (max - min)), random.nextInt(1_000_000_000));
      int width = random.nextInt(10); // 0 to 9 fraction digits
      String pattern =
          "uuuu-MM-dd'T'HH:mm:ss" + (width == 0 ? "" : "." + "S".repeat(width)) + "'Z'";
      String text = DateTimeFormatter.ofPattern(pattern).withZone(ZoneOffset.UTC).format(instant);
      assertEquals(OffsetDateTime.parse(text), UtcTimestampText.parse(text), text);
    }
  }

  @Test
  void otherShapesAreTheJdksToRead() {
    for (String text :
        List.of(
            "2024-02-29T23:59:59.123456+05:30",
            "2024-02-29T23:59:59-01:00",
            "+10000-01-01T00:00:00Z",
            "-0043-03-15T08:00:00Z",
            "2024-01-01T00:00:00.Z")) { // a point without digits: the JDK takes it
      assertEquals(OffsetDateTime.parse(text), UtcTimestampText.parse(text), text);
    }
  }

  @Test
  void whatTheJdkRefusesIsRefused() {
    for (String text :
        List.of(
            "2024-02-30T00:00:00Z",
            "2024-13-01T00:00:00Z",
            "2024-01-01T24:00:00Z",
            "2024-01-01T00:00:00.1234567890Z",
            "2024-01-01 00:00:00Z",
            "2024-0a-01T00:00:00Z",
            "garbage-text-here-Z")) {
      assertThrows(DateTimeException.class, () -> UtcTimestampText.parse(text), text);
    }
  }
}
