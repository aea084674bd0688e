package dev.floe.sink.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.floe.common.debezium.Operation;
import org.apache.kafka.connect.data.Schema;
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
  void deleteCarriesNoRowButTheRowSchema() {
    ChangeEvent event = parser.parse(ChangeEvents.record("d", 7, null, 1));
    assertTrue(event.isDelete());
    assertNull(event.row());
    assertEquals(ChangeEvents.ROW, event.rowSchema());
  }

  @Test
  void tombstonesCarryNoChange() {
    SinkRecord tombstone =
        new SinkRecord("it.public.items", 0, ChangeEvents.KEY, null, null, null, 3);
    assertNull(parser.parse(tombstone));
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
}
