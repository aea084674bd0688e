package dev.floe.source.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.apicurio.registry.utils.converter.avro.AvroData;
import io.apicurio.registry.utils.converter.avro.AvroDataConfig;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

class ExplicitNullsTest {
  private static final Schema ROW =
      SchemaBuilder.struct()
          .name("t.Value")
          .field("id", Schema.INT32_SCHEMA)
          .field("status", SchemaBuilder.string().optional().defaultValue("new").build())
          .field("region", SchemaBuilder.string().defaultValue("eu").build())
          .optional()
          .build();
  private static final Schema ENVELOPE =
      SchemaBuilder.struct()
          .name("t.Envelope")
          .field("before", ROW)
          .field("after", ROW)
          .field("op", Schema.STRING_SCHEMA)
          .build();

  /**
   * Apicurio's AvroConverter, which reads rows through {@code Struct.get(Field)}, keeps the NULL.
   */
  @Test
  void anExplicitNullReachesTheTopicAsNull() throws Exception {
    Struct after = new Struct(ROW).put("id", 1).put("status", null).put("region", "us");
    Struct envelope = new Struct(ENVELOPE).put("after", after).put("op", "c");
    SourceRecord record = record(envelope);

    assertEquals("new", serializedStatus(record), "without Floe, the DEFAULT replaces the NULL");
    SourceRecord kept = new ExplicitNulls().keep(record);
    assertEquals(null, serializedStatus(kept));
    Struct keptAfter = ((Struct) kept.value()).getStruct("after");
    assertEquals(null, keptAfter.get("status"));
    assertEquals("us", keptAfter.get("region"));
    assertEquals(1, keptAfter.get("id"));
    assertEquals(record.sourceOffset(), kept.sourceOffset());
  }

  @Test
  void eventsOfTablesWithoutNullableDefaultsPassUnchanged() {
    Schema row =
        SchemaBuilder.struct()
            .field("id", Schema.INT32_SCHEMA)
            .field("note", Schema.OPTIONAL_STRING_SCHEMA)
            .field("region", SchemaBuilder.string().defaultValue("eu").build())
            .optional()
            .build();
    Schema envelope = SchemaBuilder.struct().field("after", row).build();
    SourceRecord record =
        record(
            new Struct(envelope)
                .put("after", new Struct(row).put("id", 1).put("note", null).put("region", "x")));
    assertSame(record, new ExplicitNulls().keep(record));
    SourceRecord tombstone =
        new SourceRecord(Map.of(), Map.of(), "t", 0, Schema.INT32_SCHEMA, 1, null, null);
    assertSame(tombstone, new ExplicitNulls().keep(tombstone));
  }

  private static SourceRecord record(Struct value) {
    return new SourceRecord(
        Map.of("server", "s"),
        Map.of("lsn", 42L),
        "t",
        0,
        Schema.INT32_SCHEMA,
        1,
        value.schema(),
        value);
  }

  /** The status the Avro record holds that Apicurio's AvroConverter makes of the event. */
  private static String serializedStatus(SourceRecord record) {
    AvroData avro = new AvroData(new AvroDataConfig(Map.of()));
    GenericRecord envelope =
        (GenericRecord) avro.fromConnectData(record.valueSchema(), record.value());
    Object status = ((GenericRecord) envelope.get("after")).get("status");
    return status == null ? null : status.toString();
  }
}
