package dev.floe.avro;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.floe.local.LocalSchemaRegistry;
import io.apicurio.registry.utils.converter.AvroConverter;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Apicurio's converter with the cached resolver writes the bytes it writes without it, registers
 * each new shape (a table after DDL) under its subject as it does, and reads back what it wrote.
 */
class CachedSchemaResolverTest {
  private static final Schema V1 =
      SchemaBuilder.struct()
          .name("shop.public.orders.Value")
          .field("id", Schema.INT32_SCHEMA)
          .field("note", Schema.OPTIONAL_STRING_SCHEMA)
          .build();
  private static final Schema V2 = // a column added
      SchemaBuilder.struct()
          .name("shop.public.orders.Value")
          .field("id", Schema.INT32_SCHEMA)
          .field("note", Schema.OPTIONAL_STRING_SCHEMA)
          .field("qty", Schema.OPTIONAL_INT64_SCHEMA)
          .build();

  private LocalSchemaRegistry registry;

  @BeforeEach
  void start() throws Exception {
    registry = LocalSchemaRegistry.start(0);
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  @Test
  void writesWhatApicurioWritesAndRegistersEachNewShape() {
    AvroConverter cached = converter(true);
    AvroConverter plain = converter(false);
    for (int i = 0; i < 3; i++) {
      Struct row = new Struct(V1).put("id", i).put("note", "n" + i);
      assertArrayEquals(
          plain.fromConnectData("shop.public.orders", V1, row),
          cached.fromConnectData("shop.public.orders", V1, row));
    }
    byte[] before = cached.fromConnectData("shop.public.orders", V1, new Struct(V1).put("id", 7));
    Struct wider = new Struct(V2).put("id", 8).put("qty", 5L);
    byte[] after = cached.fromConnectData("shop.public.orders", V2, wider);

    assertEquals(
        2, registry.schemas("shop.public.orders-value").size(), "the new shape registered");
    assertNotEquals(id(before), id(after), "written with the new shape's id");
    assertArrayEquals(plain.fromConnectData("shop.public.orders", V2, wider), after);
    SchemaAndValue read = plain.toConnectData("shop.public.orders", after);
    assertEquals(5L, ((Struct) read.value()).get("qty"));
    assertEquals(8, ((Struct) read.value()).get("id"));
    // the same shape on another topic: resolved for that topic, as Apicurio resolves it
    Struct refund = new Struct(V1).put("id", 1);
    assertArrayEquals(
        plain.fromConnectData("shop.public.refunds", V1, refund),
        cached.fromConnectData("shop.public.refunds", V1, refund));
  }

  private AvroConverter converter(boolean cachedResolver) {
    Map<String, Object> config = new HashMap<>();
    config.put("apicurio.registry.url", registry.apicurioUrl());
    config.put("apicurio.registry.auto-register", "true");
    config.put("apicurio.registry.headers.enabled", "false");
    config.put("apicurio.registry.as-confluent", "true");
    config.put("apicurio.registry.use-id", "contentId");
    if (cachedResolver) {
      config.put("apicurio.registry.schema-resolver", CachedSchemaResolver.class.getName());
    }
    AvroConverter converter = new AvroConverter();
    converter.configure(config, false);
    return converter;
  }

  /** The schema id of Confluent's wire format: a zero byte, then four bytes of id. */
  private static int id(byte[] bytes) {
    assertEquals(0, bytes[0]);
    return ByteBuffer.wrap(bytes, 1, 4).getInt();
  }
}
