package dev.floe.sink.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.floe.common.debezium.Operation;
import dev.floe.sink.event.ChangeEvent;
import dev.floe.sink.event.RecordCoordinates;
import dev.floe.sink.event.SourcePosition;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

/**
 * The metadata columns are found once per row type: records of two tables' types filled one after
 * the other each get their values in their own columns, and the commit time is the instant's.
 */
class ChangeMetadataTest {
  private static final Schema SOURCE =
      new Schema(List.of(Types.NestedField.required(1, "id", Types.LongType.get())), Set.of(1));
  private static final Schema SOFT_DELETE = ChangeMetadata.withMetadata(SOURCE, true);
  // a table with only some of them, in another order
  private static final Schema FEW =
      new Schema(
          Types.NestedField.optional(1, ChangeMetadata.KAFKA_OFFSET, Types.LongType.get()),
          Types.NestedField.required(2, "id", Types.LongType.get()),
          Types.NestedField.optional(3, ChangeMetadata.OP, Types.StringType.get()));

  @Test
  void recordsOfTwoTypesOneAfterTheOtherGetTheirOwnColumnsFilled() {
    ChangeMetadata.Columns columns = new ChangeMetadata.Columns();
    for (long ms : new long[] {1_764_000_000_123L, 0L, 999L, 86_400_001L}) {
      Record full = columns.fill(GenericRecord.create(SOFT_DELETE), change(ms, 42));
      Record few = columns.fill(GenericRecord.create(FEW), change(ms, 43));
      assertEquals("u", full.getField(ChangeMetadata.OP));
      assertEquals(false, full.getField(ChangeMetadata.DELETED));
      assertEquals(7L, full.getField(ChangeMetadata.LSN));
      assertEquals(
          OffsetDateTime.ofInstant(Instant.ofEpochMilli(ms), ZoneOffset.UTC),
          full.getField(ChangeMetadata.COMMIT_TS),
          "the commit time of " + ms + " ms");
      assertEquals(3, full.getField(ChangeMetadata.KAFKA_PARTITION));
      assertEquals(42L, full.getField(ChangeMetadata.KAFKA_OFFSET));
      assertNull(full.getField("id"), "a source column is left alone");
      assertEquals(List.of(43L, "u"), List.of(few.get(0, Long.class), few.get(2, String.class)));
      assertNull(few.get(1, Long.class));
    }
    Record unknown =
        columns.fill(
            GenericRecord.create(SOFT_DELETE),
            new ChangeEvent(
                Operation.DELETE,
                "public",
                "items",
                null,
                null,
                null,
                SourcePosition.UNKNOWN,
                new RecordCoordinates("t", 0, 1)));
    assertNull(unknown.getField(ChangeMetadata.COMMIT_TS), "no commit time known");
    assertNull(unknown.getField(ChangeMetadata.LSN));
    assertEquals(true, unknown.getField(ChangeMetadata.DELETED));
  }

  private static ChangeEvent change(long commitTimeMs, long offset) {
    return new ChangeEvent(
        Operation.UPDATE,
        "public",
        "items",
        null,
        null,
        null,
        new SourcePosition(commitTimeMs, 7),
        new RecordCoordinates("t", 3, offset));
  }
}
