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

  /**
   * Every Debezium event's schema could hide a NULL (the source block's {@code snapshot} has a
   * default): only an event that holds such a NULL is copied, and only the structs on its way.
   */
  @Test
  void onlyAStructHoldingANullWithADefaultIsCopied() {
    Schema source =
        SchemaBuilder.struct()
            .name("t.Source")
            .field("snapshot", SchemaBuilder.string().optional().defaultValue("false").build())
            .field("lsn", Schema.INT64_SCHEMA)
            .build();
    Schema envelope =
        SchemaBuilder.struct()
            .name("t.Envelope")
            .field("before", ROW)
            .field("after", ROW)
            .field("source", source)
            .field("op", Schema.STRING_SCHEMA)
            .build();
    Struct inSnapshot = new Struct(source).put("snapshot", "true").put("lsn", 7L);
    Struct full = new Struct(ROW).put("id", 1).put("status", "paid").put("region", "us");
    SourceRecord noNulls =
        record(new Struct(envelope).put("after", full).put("source", inSnapshot).put("op", "r"));
    assertSame(noNulls, new ExplicitNulls().keep(noNulls), "nothing to keep: nothing copied");

    Struct withNull = new Struct(ROW).put("id", 2).put("status", null).put("region", "us");
    SourceRecord nullInRow =
        record(
            new Struct(envelope).put("after", withNull).put("source", inSnapshot).put("op", "c"));
    Struct kept = (Struct) new ExplicitNulls().keep(nullInRow).value();
    assertEquals(null, kept.getStruct("after").get("status"));
    assertEquals(2, kept.getStruct("after").get("id"));
    assertSame(inSnapshot, kept.getStruct("source"), "a struct without such a NULL is not copied");
    assertEquals("c", kept.get("op"));

    Struct streaming = new Struct(source).put("snapshot", null).put("lsn", 8L);
    SourceRecord nullInSource =
        record(new Struct(envelope).put("after", full).put("source", streaming).put("op", "u"));
    Struct keptSource = (Struct) new ExplicitNulls().keep(nullInSource).value();
    assertEquals(null, keptSource.getStruct("source").get("snapshot"));
    assertSame(full, keptSource.getStruct("after"));
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
