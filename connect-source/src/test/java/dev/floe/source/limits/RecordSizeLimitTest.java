package dev.floe.source.limits;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

class RecordSizeLimitTest {
  private static final Schema ROW =
      SchemaBuilder.struct()
          .name("shop.docs.Value")
          .optional()
          .field("id", Schema.INT32_SCHEMA)
          .field("body", Schema.OPTIONAL_STRING_SCHEMA)
          .field("blob", Schema.OPTIONAL_BYTES_SCHEMA)
          .field("tags", SchemaBuilder.array(Schema.OPTIONAL_INT32_SCHEMA).optional().build())
          .build();
  private static final Schema ENVELOPE =
      SchemaBuilder.struct()
          .name("shop.docs.Envelope")
          .field("before", ROW)
          .field("after", ROW)
          .field("op", Schema.STRING_SCHEMA)
          .build();

  private static SourceRecord change(String body, byte[] blob, List<Integer> tags) {
    Struct after =
        new Struct(ROW).put("id", 7).put("body", body).put("blob", blob).put("tags", tags);
    Struct envelope = new Struct(ENVELOPE).put("after", after).put("op", "c");
    return new SourceRecord(
        Map.of(), Map.of(), "floe.shop.docs", null, null, 7, ENVELOPE, envelope);
  }

  @Test
  void aStatedLimitFailsTheChangeNamingTopicColumnAndBothSettings() {
    RecordSizeLimit limit = RecordSizeLimit.of(Map.of(RecordSizeLimit.MAX_REQUEST_SIZE, "1000"));
    ConnectException refused =
        assertThrows(
            ConnectException.class, () -> limit.check(change("x".repeat(1500), null, null)));
    String message = refused.getMessage();
    assertTrue(message.contains("floe.shop.docs"), message);
    assertTrue(message.contains("1,500 of them in column body"), message);
    assertTrue(message.contains("producer.override.max.request.size of 1000"), message);
    assertTrue(message.contains("max.message.bytes"), message);
  }

  @Test
  void changesWithinTheLimitPass() {
    RecordSizeLimit limit = RecordSizeLimit.of(Map.of(RecordSizeLimit.MAX_REQUEST_SIZE, "1000"));
    assertDoesNotThrow(() -> limit.check(change("x".repeat(900), new byte[50], List.of(1, 2))));
  }

  @Test
  void withoutAStatedLimitKafkasDefaultIsOnlyWarnedAbout() {
    // the worker's producer.max.request.size may be higher: a connector cannot read it
    RecordSizeLimit limit = RecordSizeLimit.of(Map.of());
    assertDoesNotThrow(() -> limit.check(change("x".repeat(2_000_000), null, null)));
  }

  @Test
  void theSizeIsAFloorOfEveryEncoding() {
    // UTF-8 takes at least a byte per UTF-16 char; a list element at least a byte; numbers nothing
    ValueSize size = ValueSize.of(change("ключ😀", new byte[10], List.of(1, 2, 3)).value());
    assertEquals(6 + 10 + 3 + 1, size.bytes()); // six UTF-16 chars; op "c" counts too
    assertEquals("blob", size.largestField());
    assertTrue("ключ😀".getBytes(java.nio.charset.StandardCharsets.UTF_8).length >= 6);
  }

  @Test
  void anEnvelopeWithTheRowTwiceCountsBoth() {
    Struct row = new Struct(ROW).put("id", 1).put("body", "y".repeat(600));
    Struct envelope = new Struct(ENVELOPE).put("before", row).put("after", row).put("op", "u");
    RecordSizeLimit limit = RecordSizeLimit.of(Map.of(RecordSizeLimit.MAX_REQUEST_SIZE, "1000"));
    SourceRecord update =
        new SourceRecord(Map.of(), Map.of(), "t", null, null, 1, ENVELOPE, envelope);
    assertThrows(ConnectException.class, () -> limit.check(update));
  }
}
