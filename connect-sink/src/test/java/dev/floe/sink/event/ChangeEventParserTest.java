package dev.floe.sink.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.floe.common.debezium.Operation;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class ChangeEventParserTest {
  private final ChangeEventParser parser = new ChangeEventParser();

  @Test
  void readsOperationKeyRowSourceAndCoordinates() {
    ChangeEvent event = parser.parse(ChangeEvents.record("u", 7, "seven", 42));
    assertEquals(Operation.UPDATE, event.operation());
    assertEquals(7, event.key().getInt32("id"));
    assertEquals("seven", event.row().getString("name"));
    assertEquals("public", event.sourceSchema());
    assertEquals("items", event.sourceTable());
    assertEquals(new SourcePosition(1_042L, 142L), event.position());
    assertEquals(new RecordCoordinates("it.public.items", 0, 42), event.coordinates());
  }

  @Test
  void deleteCarriesItsBeforeImage() {
    ChangeEvent event = parser.parse(ChangeEvents.record("d", 7, null, 1));
    assertTrue(event.isDelete());
    assertEquals(7, event.row().getInt32("id"));
    assertNull(event.row().getString("name"), "REPLICA IDENTITY DEFAULT: key columns only");
    assertEquals(ChangeEvents.ROW, event.rowSchema());
  }

  @Test
  void aTombstoneDeletesItsKey() {
    SinkRecord tombstone =
        new SinkRecord(
            "it.public.items",
            0,
            ChangeEvents.KEY,
            new Struct(ChangeEvents.KEY).put("id", 9),
            null,
            null,
            3);
    ChangeEvent event = parser.parse(tombstone);
    assertTrue(event.isDelete());
    assertEquals(9, event.key().getInt32("id"));
    assertNull(event.rowSchema(), "a tombstone names no columns");
  }

  @Test
  void flattenedRowsLoseDebeziumsMetadataFieldsAndKeepTheirOperation() {
    Schema flat =
        SchemaBuilder.struct()
            .field("id", Schema.INT32_SCHEMA)
            .field("name", Schema.OPTIONAL_STRING_SCHEMA)
            .field("__op", Schema.OPTIONAL_STRING_SCHEMA)
            .field("__table", Schema.OPTIONAL_STRING_SCHEMA)
            .field("__lsn", Schema.OPTIONAL_INT64_SCHEMA)
            .field("__deleted", Schema.OPTIONAL_STRING_SCHEMA)
            .build();
    Struct key = new Struct(ChangeEvents.KEY).put("id", 5);
    Struct update =
        new Struct(flat)
            .put("id", 5)
            .put("name", "five")
            .put("__op", "u")
            .put("__table", "items")
            .put("__lsn", 77L)
            .put("__deleted", "false");
    ChangeEvent event =
        parser.parse(new SinkRecord("renamed", 0, ChangeEvents.KEY, key, flat, update, 1));
    assertEquals(Operation.UPDATE, event.operation());
    assertEquals("items", event.sourceTable());
    assertEquals(77L, event.position().lsn());
    assertEquals(2, event.rowSchema().fields().size(), event.rowSchema().fields().toString());
    assertEquals("five", event.row().getString("name"));

    Struct deleted = new Struct(flat).put("id", 5).put("__op", "d").put("__deleted", "true");
    assertTrue(
        parser
            .parse(new SinkRecord("renamed", 0, ChangeEvents.KEY, key, flat, deleted, 2))
            .isDelete());

    Schema plain = SchemaBuilder.struct().field("id", Schema.INT32_SCHEMA).build();
    ChangeEvent upsert =
        parser.parse(
            new SinkRecord(
                "t", 0, ChangeEvents.KEY, key, plain, new Struct(plain).put("id", 5), 3));
    assertEquals(Operation.UPDATE, upsert.operation(), "a plain keyed row is an upsert");
  }

  @Test
  void recordsWithoutSchemaOrKeyAreRefusedWithTheReason() {
    SinkRecord schemaless =
        new SinkRecord("t", 0, null, null, null, java.util.Map.of("op", "c"), 5);
    DataException noSchema = assertThrows(DataException.class, () -> parser.parse(schemaless));
    assertTrue(noSchema.getMessage().contains("schemas.enable=true"), noSchema.getMessage());

    SinkRecord keyless = ChangeEvents.record("c", 1, "x", 6);
    SinkRecord withoutKey =
        keyless.newRecord(
            keyless.topic(),
            0,
            Schema.OPTIONAL_STRING_SCHEMA,
            null,
            keyless.valueSchema(),
            keyless.value(),
            keyless.timestamp());
    DataException noKey = assertThrows(DataException.class, () -> parser.parse(withoutKey));
    assertTrue(noKey.getMessage().contains("primary key"), noKey.getMessage());
  }

  @Test
  void aKeyWithoutColumnsIsRefusedLikeNoKey() {
    Schema empty = SchemaBuilder.struct().build();
    SinkRecord record = ChangeEvents.record("c", 1, "x", 7);
    SinkRecord emptyKey =
        record.newRecord(
            record.topic(),
            0,
            empty,
            new Struct(empty),
            record.valueSchema(),
            record.value(),
            record.timestamp());
    DataException refused = assertThrows(DataException.class, () -> parser.parse(emptyKey));
    assertTrue(refused.getMessage().contains("primary key"), refused.getMessage());
  }

  @Test
  void anUnknownOrMissingOperationIsRefusedNamingTheRecord() {
    Schema envelope =
        SchemaBuilder.struct()
            .field("after", ChangeEvents.ROW)
            .field("op", Schema.OPTIONAL_STRING_SCHEMA)
            .build();
    Struct key = new Struct(ChangeEvents.KEY).put("id", 1);
    Struct row = new Struct(ChangeEvents.ROW).put("id", 1);
    for (String op : new String[] {"x", "", null}) {
      Struct value = new Struct(envelope).put("after", row).put("op", op);
      SinkRecord record = new SinkRecord("t", 0, ChangeEvents.KEY, key, envelope, value, 8);
      DataException refused = assertThrows(DataException.class, () -> parser.parse(record));
      assertTrue(refused.getMessage().startsWith("Record t-0@8 has "), refused.getMessage());
      assertTrue(refused.getMessage().contains("operation in 'op'"), refused.getMessage());
    }
  }

  @Test
  void aFlattenedRowWithAnUnknownOperationIsRefused() {
    Schema flat =
        SchemaBuilder.struct()
            .field("id", Schema.INT32_SCHEMA)
            .field("__op", Schema.OPTIONAL_STRING_SCHEMA)
            .build();
    Struct key = new Struct(ChangeEvents.KEY).put("id", 1);
    Struct value = new Struct(flat).put("id", 1).put("__op", "z");
    SinkRecord record = new SinkRecord("t", 0, ChangeEvents.KEY, key, flat, value, 9);
    DataException refused = assertThrows(DataException.class, () -> parser.parse(record));
    assertTrue(refused.getMessage().contains("'__op' ('z')"), refused.getMessage());
  }
}
