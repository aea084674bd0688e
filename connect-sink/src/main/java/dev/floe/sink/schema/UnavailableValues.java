package dev.floe.sink.schema;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.connect.data.Struct;

/**
 * Recognizes Debezium's stand-in for a value Postgres did not send: an update that leaves a TOASTed
 * column unchanged (without {@code REPLICA IDENTITY FULL}) carries the connector's {@code
 * unavailable.value.placeholder} in its place, in a form that fits the column's type. Each form is
 * matched exactly:
 *
 * <ul>
 *   <li>text, varchar, json, jsonb, xml, numeric and bytea in hex mode: the placeholder as text;
 *   <li>bytea: its bytes;
 *   <li>text, varchar, json and jsonb arrays, and arrays of Floe's exact types: a list of the text;
 *       bytea arrays: a list of the bytes; uuid arrays: a list of the name-based UUID of the bytes;
 *   <li>integer, bigint, smallint and date arrays: one number per byte of the placeholder;
 *   <li>hstore: a one-entry map from the text to itself, or that map as JSON text;
 *   <li>geometry: a struct whose bytes are the placeholder.
 * </ul>
 *
 * A real value of exactly one of these forms is taken for the placeholder: set a placeholder no
 * real value can hold on both connectors (docs/type-mapping.md).
 */
public final class UnavailableValues {
  /** Debezium's default for {@code unavailable.value.placeholder}. */
  public static final String DEBEZIUM_DEFAULT = "__debezium_unavailable_value";

  public static final UnavailableValues DEFAULT = of(DEBEZIUM_DEFAULT);

  private final byte[] bytes;
  private final String text;
  private final String uuid;
  private final String hstoreJson;

  private UnavailableValues(byte[] bytes) {
    this.bytes = bytes;
    this.text = new String(bytes, StandardCharsets.UTF_8);
    this.uuid = UUID.nameUUIDFromBytes(bytes).toString();
    String quoted = "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    this.hstoreJson = "{" + quoted + ":" + quoted + "}";
  }

  /**
   * The forms of {@code setting}, read as Debezium reads {@code unavailable.value.placeholder}:
   * text, or bytes written {@code hex:0A1B...}.
   */
  public static UnavailableValues of(String setting) {
    return new UnavailableValues(
        setting.startsWith("hex:")
            ? HexFormat.of().parseHex(setting.substring(4))
            : setting.getBytes(StandardCharsets.UTF_8));
  }

  /** Whether {@code value}, a column's value as Connect holds it, is the placeholder. */
  public boolean isPlaceholder(Object value) {
    if (value instanceof String string) {
      return string.equals(text) || string.equals(hstoreJson);
    }
    if (value instanceof Number || value instanceof Boolean || value instanceof java.util.Date) {
      // most values: answered before the tests for interfaces below, which scan the class's
      // interfaces (RecordSizes says why that counts)
      return false;
    }
    if (value instanceof byte[] array) {
      return Arrays.equals(bytes, array);
    }
    if (value instanceof ByteBuffer buffer) {
      return buffer.remaining() == bytes.length
          && ByteBuffer.wrap(bytes).equals(buffer.duplicate());
    }
    if (value instanceof List<?> list) {
      return isListPlaceholder(list);
    }
    if (value instanceof Map<?, ?> map) {
      return map.size() == 1 && text.equals(map.get(text));
    }
    if (value instanceof Struct struct) {
      // a geometry: {wkb, srid}; the placeholder replaces its bytes
      return struct.schema().fields().stream()
          .anyMatch(
              f ->
                  f.schema().type() == org.apache.kafka.connect.data.Schema.Type.BYTES
                      && isPlaceholder(struct.get(f)));
    }
    return false;
  }

  private boolean isListPlaceholder(List<?> list) {
    if (list.size() == 1) {
      Object only = list.get(0);
      return only instanceof String s
          ? s.equals(text) || s.equals(uuid)
          : (only instanceof byte[] || only instanceof ByteBuffer) && isPlaceholder(only);
    }
    if (list.size() != bytes.length || bytes.length == 0) {
      return false;
    }
    for (int i = 0; i < bytes.length; i++) {
      if (!(list.get(i) instanceof Number n) || n.doubleValue() != bytes[i]) {
        return false;
      }
    }
    return true;
  }

  /** The placeholder as text, for messages. */
  public String text() {
    return text;
  }
}
