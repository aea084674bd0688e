package dev.floe.sink.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.Map;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.storage.SimpleHeaderConverter;
import org.junit.jupiter.api.Test;

/** The old key of a primary-key change, read from Debezium's header in each form it can arrive. */
class KeyChangeHeadersTest {
  private static final Schema KEY =
      SchemaBuilder.struct()
          .name("s.t.Key")
          .field("id", Schema.INT64_SCHEMA)
          .field("code", Schema.STRING_SCHEMA)
          .field("amount", Decimal.schema(2))
          .build();

  @Test
  void throughConnectsDefaultHeaderConverterTheKeyIsRebuiltWithItsTypes() {
    Struct oldKey =
        new Struct(KEY).put("id", 7L).put("code", "a b").put("amount", new BigDecimal("1.50"));
    SimpleHeaderConverter headers = new SimpleHeaderConverter();
    headers.configure(Map.of());
    // what the source's worker writes and the sink's worker reads back: a map of small numbers
    SchemaAndValue read =
        headers.toConnectHeader(
            "t", "__debezium.oldkey", headers.fromConnectHeader("t", "h", KEY, oldKey));
    assertTrue(read.value() instanceof Map, String.valueOf(read.value()));

    SinkRecord create =
        new SinkRecord(
            "t",
            0,
            KEY,
            new Struct(KEY).put("id", 8L).put("code", "c").put("amount", new BigDecimal("2.00")),
            null,
            null,
            1);
    create.headers().add("__debezium.oldkey", read);
    assertEquals(oldKey, KeyChangeHeaders.oldKey(create, (Struct) create.key()));
  }

  @Test
  void aStructHeaderIsTakenAsItIsAndAMissingOneIsNoKeyChange() {
    Struct oldKey =
        new Struct(KEY).put("id", 7L).put("code", "x").put("amount", new BigDecimal("0.00"));
    SinkRecord create = new SinkRecord("t", 0, KEY, oldKey, null, null, 1);
    assertNull(KeyChangeHeaders.oldKey(create, oldKey));
    create.headers().add("__debezium.oldkey", oldKey, KEY);
    assertEquals(oldKey, KeyChangeHeaders.oldKey(create, oldKey));
    SinkRecord delete = new SinkRecord("t", 0, KEY, oldKey, null, null, 0);
    delete.headers().add("__debezium.newkey", oldKey, KEY);
    assertTrue(KeyChangeHeaders.keyMoved(delete));
  }
}
