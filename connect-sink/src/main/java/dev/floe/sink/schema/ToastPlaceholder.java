package dev.floe.sink.schema;

import dev.floe.common.debezium.EnvelopeFields;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.connect.errors.DataException;

/**
 * Debezium's stand-in for an unchanged TOASTed value: without {@code REPLICA IDENTITY FULL},
 * Postgres does not send a large column that an update left alone, and Debezium writes a
 * placeholder instead. Writing it would overwrite real data, so a row that holds one is refused (to
 * the dead letter topic, or failing the task) and the table keeps the value it had.
 */
final class ToastPlaceholder {
  private static final byte[] BYTES =
      EnvelopeFields.UNAVAILABLE_VALUE.getBytes(StandardCharsets.UTF_8);

  private ToastPlaceholder() {}

  static boolean isPlaceholder(Object value) {
    if (value instanceof String text) {
      return EnvelopeFields.UNAVAILABLE_VALUE.equals(text);
    }
    if (value instanceof byte[] bytes) {
      return Arrays.equals(BYTES, bytes);
    }
    if (value instanceof ByteBuffer buffer) {
      return buffer.remaining() == BYTES.length
          && ByteBuffer.wrap(BYTES).equals(buffer.duplicate());
    }
    if (value instanceof List<?> list) {
      return list.stream().anyMatch(ToastPlaceholder::isPlaceholder);
    }
    return false;
  }

  static DataException refuse(String column) {
    return new DataException(
        "Column '"
            + column
            + "' holds Debezium's placeholder for an unchanged TOASTed value, so the row is not"
            + " applied and the table keeps the column's real value. Run ALTER TABLE <table> REPLICA"
            + " IDENTITY FULL in Postgres so that updates carry every column.");
  }
}
