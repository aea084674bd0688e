package dev.floe.sink.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.StructLikeMap;
import org.junit.jupiter.api.Test;

/** Keys compare by value, and the views read and write through, as Iceberg's StructLikeMap. */
class KeyMapTest {
  private static final Schema KEY =
      new Schema(
          Types.NestedField.required(1, "id", Types.LongType.get()),
          Types.NestedField.required(2, "region", Types.StringType.get()));

  private static Record key(long id, String region) {
    Record key = GenericRecord.create(KEY);
    key.setField("id", id);
    key.setField("region", region);
    return key;
  }

  @Test
  void keysWithDatesAndTimestampsCompareByValueAndComeBackAsPut() {
    Schema timed =
        new Schema(
            Types.NestedField.required(1, "day", Types.DateType.get()),
            Types.NestedField.required(2, "at", Types.TimestampType.withZone()),
            Types.NestedField.required(3, "local", Types.TimestampType.withoutZone()),
            Types.NestedField.required(4, "time", Types.TimeType.get()));
    java.util.function.LongFunction<Record> key =
        n -> {
          Record k = GenericRecord.create(timed);
          k.setField("day", java.time.LocalDate.ofEpochDay(n));
          k.setField("at", java.time.OffsetDateTime.parse("2026-01-01T00:00:00Z").plusSeconds(n));
          k.setField("local", java.time.LocalDateTime.parse("2026-01-01T00:00:00").plusSeconds(n));
          k.setField("time", java.time.LocalTime.ofSecondOfDay(n));
          return k;
        };
    KeyMap<String> map = KeyMap.create(timed.asStruct());
    Record first = key.apply(1);
    map.put(first, "a");
    assertEquals("a", map.put(key.apply(1), "b"), "an equal key, another instance");
    map.put(key.apply(2), "c");
    assertEquals(2, map.size());
    assertEquals("b", map.get(key.apply(1)));
    assertTrue(map.containsKey(key.apply(2)));
    assertSame(first, map.keySet().iterator().next(), "the key as it was put");
    java.util.Set<StructLike> set = KeyMap.setOf(timed.asStruct());
    set.add(key.apply(3));
    assertTrue(set.contains(key.apply(3)));
    assertFalse(set.contains(key.apply(4)));
  }

  @Test
  void keysCompareByValueNotByInstance() {
    KeyMap<String> map = KeyMap.create(KEY.asStruct());
    assertNull(map.put(key(1, "eu"), "a"));
    assertEquals("a", map.put(key(1, "eu"), "b"));
    map.put(key(1, "us"), null); // a key whose last change was a delete
    assertEquals(2, map.size());
    assertEquals("b", map.get(key(1, "eu")));
    assertTrue(map.containsKey(key(1, "us")));
    assertNull(map.get(key(1, "us")));
    assertFalse(map.containsKey(key(2, "eu")));
    assertFalse(map.containsKey("not a key"));
    assertEquals("b", map.remove(key(1, "eu")));
    assertEquals(1, map.size());
  }

  @Test
  void viewsReadAndWriteThrough() {
    KeyMap<Integer> map = KeyMap.create(KEY.asStruct());
    Record first = key(1, "eu");
    map.put(first, 1);
    map.put(key(2, "eu"), 2);
    map.put(key(3, "eu"), 3);

    Map<Long, Integer> seen = new HashMap<>();
    for (Map.Entry<StructLike, Integer> entry : map.entrySet()) {
      seen.put(entry.getKey().get(0, Long.class), entry.getValue());
      if (entry.getKey().get(0, Long.class) == 1L) {
        assertSame(first, entry.getKey()); // the key as stored, not a copy
        entry.setValue(10);
      }
    }
    assertEquals(Map.of(1L, 1, 2L, 2, 3L, 3), seen);
    assertEquals(10, map.get(key(1, "eu")));

    Iterator<Map.Entry<StructLike, Integer>> entries = map.entrySet().iterator();
    while (entries.hasNext()) {
      if (entries.next().getValue() == 2) {
        entries.remove();
      }
    }
    assertFalse(map.containsKey(key(2, "eu")));
    assertTrue(map.keySet().contains(key(3, "eu")));
    Map<Long, Integer> visited = new HashMap<>();
    map.forEach((k, v) -> visited.put(k.get(0, Long.class), v));
    assertEquals(Map.of(1L, 10, 3L, 3), visited);
  }

  @Test
  void equalToStructLikeMapWithTheSameEntries() {
    KeyMap<String> ours = KeyMap.create(KEY.asStruct());
    StructLikeMap<String> iceberg = StructLikeMap.create(KEY.asStruct());
    for (long id = 0; id < 100; id++) {
      ours.put(key(id, id % 2 == 0 ? "eu" : "us"), "row " + id);
      iceberg.put(key(id, id % 2 == 0 ? "eu" : "us"), "row " + id);
    }
    assertEquals(iceberg.size(), ours.size());
    iceberg.forEach((k, v) -> assertEquals(v, ours.get(k)));
    ours.forEach((k, v) -> assertEquals(v, iceberg.get(k)));
  }

  @Test
  void valuesAreReplacedInPlaceAndANullValueIsNotTheDefault() {
    KeyMap<String> names = KeyMap.create(KEY.asStruct(), 2);
    names.put(key(1, "eu"), "one");
    names.put(key(2, "eu"), null); // a key with no value is still a key
    names.put(key(3, "eu"), "three");
    KeyMap<Integer> lengths = names.replaceValues((k, v) -> v == null ? null : v.length());
    assertSame(names, lengths, "the same map, retyped");
    assertEquals(3, lengths.size());
    assertEquals(3, lengths.get(key(1, "eu")));
    assertEquals(5, lengths.get(key(3, "eu")));
    assertNull(lengths.getOrDefault(key(2, "eu"), -1), "mapped to null: not the default");
    assertEquals(-1, lengths.getOrDefault(key(4, "eu"), -1));
  }
}
