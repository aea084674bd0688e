package dev.floe.sink.schema;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

/** Every form Debezium gives its placeholder, matched exactly; real values are not. */
class UnavailableValuesTest {
  private static final String TEXT = "__debezium_unavailable_value";
  private final UnavailableValues placeholder = UnavailableValues.DEFAULT;

  @Test
  void textBytesAndTheirArrays() {
    byte[] bytes = TEXT.getBytes(StandardCharsets.UTF_8);
    assertTrue(placeholder.isPlaceholder(TEXT)); // text, varchar, json, jsonb, xml, numeric as text
    assertTrue(placeholder.isPlaceholder(bytes.clone())); // bytea
    assertTrue(placeholder.isPlaceholder(ByteBuffer.wrap(bytes)));
    assertTrue(placeholder.isPlaceholder(List.of(TEXT))); // text[], jsonb[], Floe's real[]
    assertTrue(placeholder.isPlaceholder(List.of(bytes.clone()))); // bytea[]
    String uuid = UUID.nameUUIDFromBytes(bytes).toString();
    assertTrue(placeholder.isPlaceholder(List.of(uuid))); // uuid[]

    assertFalse(placeholder.isPlaceholder(TEXT + " "));
    assertFalse(placeholder.isPlaceholder(List.of(TEXT, TEXT)));
    assertFalse(placeholder.isPlaceholder(List.of("a")));
    assertFalse(placeholder.isPlaceholder("__debezium"));
  }

  @Test
  void numberArraysHoldOneElementPerByte() {
    List<Integer> ints = new ArrayList<>();
    List<Long> longs = new ArrayList<>();
    for (byte b : TEXT.getBytes(StandardCharsets.UTF_8)) {
      ints.add((int) b);
      longs.add((long) b);
    }
    assertTrue(placeholder.isPlaceholder(ints)); // integer[], date[]
    assertTrue(placeholder.isPlaceholder(longs)); // bigint[]

    List<Integer> real = new ArrayList<>(ints);
    real.set(3, 0);
    assertFalse(placeholder.isPlaceholder(real));
    List<Double> fractions = new ArrayList<>();
    ints.forEach(i -> fractions.add(i + 0.5));
    assertFalse(placeholder.isPlaceholder(fractions));
    assertFalse(placeholder.isPlaceholder(ints.subList(0, 5)));
  }

  @Test
  void hstoreAsAMapOrAsJsonAndGeometry() {
    assertTrue(placeholder.isPlaceholder(Map.of(TEXT, TEXT)));
    assertTrue(placeholder.isPlaceholder("{\"" + TEXT + "\":\"" + TEXT + "\"}"));
    assertFalse(placeholder.isPlaceholder(Map.of(TEXT, "x")));

    Schema geometry =
        SchemaBuilder.struct()
            .name("io.debezium.data.geometry.Geometry")
            .field("wkb", Schema.BYTES_SCHEMA)
            .field("srid", Schema.OPTIONAL_INT32_SCHEMA)
            .build();
    assertTrue(
        placeholder.isPlaceholder(
            new Struct(geometry).put("wkb", TEXT.getBytes(StandardCharsets.UTF_8))));
    assertFalse(placeholder.isPlaceholder(new Struct(geometry).put("wkb", new byte[] {1, 2})));
  }

  @Test
  void aCustomPlaceholderReplacesTheDefaultInEveryForm() {
    UnavailableValues custom = UnavailableValues.of("hex:DEADBEEF");
    assertTrue(
        custom.isPlaceholder(new byte[] {(byte) 0xDE, (byte) 0xAD, (byte) 0xBE, (byte) 0xEF}));
    assertTrue(custom.isPlaceholder(List.of(0xDE - 256, 0xAD - 256, 0xBE - 256, 0xEF - 256)));
    assertFalse(custom.isPlaceholder(TEXT));

    UnavailableValues toast = UnavailableValues.of("__toast__");
    assertTrue(toast.isPlaceholder("__toast__"));
    assertTrue(toast.isPlaceholder(List.of("__toast__")));
    assertFalse(toast.isPlaceholder(TEXT));
  }
}
