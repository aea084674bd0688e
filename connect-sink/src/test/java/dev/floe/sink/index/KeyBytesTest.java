package dev.floe.sink.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;
import org.apache.parquet.column.values.bloomfilter.XxHash;
import org.junit.jupiter.api.Test;

/** A key has one byte form however it was built, and two keys never share one. */
class KeyBytesTest {
  private static Record key(Schema schema, Object... values) {
    Record key = GenericRecord.create(schema);
    for (int i = 0; i < values.length; i++) {
      key.set(i, values[i]);
    }
    return key;
  }

  private static Schema schema(Types.NestedField... columns) {
    return new Schema(columns);
  }

  @Test
  void theSameKeyGivesTheSameBytesWhateverItsJavaForm() {
    Schema number = schema(Types.NestedField.required(1, "id", Types.LongType.get()));
    // an int column promoted to long reads back as Long; an event may still carry an Integer
    assertArrayEquals(
        KeyBytes.forKey(number).of(key(number, 7L)), KeyBytes.forKey(number).of(key(number, 7)));
    Schema decimal = schema(Types.NestedField.required(1, "amount", Types.DecimalType.of(9, 2)));
    assertArrayEquals(
        KeyBytes.forKey(decimal).of(key(decimal, new BigDecimal("1.50"))),
        KeyBytes.forKey(decimal).of(key(decimal, new BigDecimal("1.5"))));
    Schema at = schema(Types.NestedField.required(1, "at", Types.TimestampType.withZone()));
    // an event's timestamptz keeps the offset it was written with; a data file reads it in UTC
    assertArrayEquals(
        KeyBytes.forKey(at)
            .of(key(at, java.time.OffsetDateTime.parse("2026-01-01T02:00:00+02:00"))),
        KeyBytes.forKey(at).of(key(at, java.time.OffsetDateTime.parse("2026-01-01T00:00:00Z"))));
    Schema local = schema(Types.NestedField.required(1, "at", Types.TimestampType.withoutZone()));
    assertArrayEquals(
        KeyBytes.forKey(local).of(key(local, java.time.LocalDateTime.parse("2026-01-01T00:00:01"))),
        KeyBytes.forKey(local)
            .of(key(local, java.time.LocalDateTime.parse("2026-01-01T00:00:01"))));
    assertFalse(
        Arrays.equals(
            KeyBytes.forKey(local)
                .of(key(local, java.time.LocalDateTime.parse("2026-01-01T00:00:01"))),
            KeyBytes.forKey(local)
                .of(key(local, java.time.LocalDateTime.parse("2026-01-01T00:00:02")))));
    Schema text = schema(Types.NestedField.required(1, "code", Types.StringType.get()));
    assertArrayEquals(
        KeyBytes.forKey(text).of(key(text, "né")),
        KeyBytes.forKey(text).of(key(text, new StringBuilder("né"))));
  }

  @Test
  void differentKeysGiveDifferentBytes() {
    Schema pair =
        schema(
            Types.NestedField.required(1, "a", Types.StringType.get()),
            Types.NestedField.required(2, "b", Types.StringType.get()));
    assertFalse(
        Arrays.equals(
            KeyBytes.forKey(pair).of(key(pair, "ab", "c")),
            KeyBytes.forKey(pair).of(key(pair, "a", "bc"))));
    Schema mixed =
        schema(
            Types.NestedField.required(1, "day", Types.DateType.get()),
            Types.NestedField.required(2, "id", Types.UUIDType.get()),
            Types.NestedField.required(3, "on", Types.BooleanType.get()),
            Types.NestedField.required(4, "code", Types.StringType.get()));
    UUID id = UUID.randomUUID();
    byte[] one =
        KeyBytes.forKey(mixed).of(key(mixed, LocalDate.of(2026, 12, 6), id, true, "x".repeat(40)));
    byte[] other =
        KeyBytes.forKey(mixed).of(key(mixed, LocalDate.of(2026, 12, 6), id, false, "x".repeat(40)));
    assertFalse(Arrays.equals(one, other));
    assertArrayEquals(
        one,
        KeyBytes.forKey(mixed).of(key(mixed, LocalDate.of(2026, 12, 6), id, true, "x".repeat(40))));
  }

  @Test
  void oneReusedBufferGivesEachKeyItsOwnBytesAndHash() {
    Schema pair =
        schema(
            Types.NestedField.required(1, "id", Types.LongType.get()),
            Types.NestedField.required(2, "code", Types.StringType.get()));
    KeyBytes reused = KeyBytes.forKey(pair);
    XxHash xx = new XxHash();
    // longer than the first buffer, then shorter again: nothing of a longer key stays behind
    for (String code : List.of("a", "x".repeat(100), "b", "", "y".repeat(17))) {
      Record key = key(pair, 42L, code);
      byte[] alone = KeyBytes.forKey(pair).of(key);
      assertArrayEquals(alone, reused.of(key), code);
      assertTrue(reused.fill(key));
      assertEquals(xx.hashBytes(alone), reused.hash(), code);
    }
    assertFalse(reused.fill(key(pair, 42L, null)));
  }

  @Test
  void aMissingOrUnexpectedValueHasNoBytes() {
    Schema decimal = schema(Types.NestedField.required(1, "amount", Types.DecimalType.of(9, 2)));
    assertNull(KeyBytes.forKey(decimal).of(key(decimal, (Object) null)));
    assertNull(
        KeyBytes.forKey(decimal).of(key(decimal, new BigDecimal("1.505")))); // not at the scale
  }
}
