package dev.floe.sink.event;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Builds Debezium-shaped records for unit tests: table {@code public.items(id int key, name text)}.
 */
public final class ChangeEvents {
  public static final Schema KEY =
      SchemaBuilder.struct().name("it.public.items.Key").field("id", Schema.INT32_SCHEMA).build();
  public static final Schema ROW =
      SchemaBuilder.struct()
          .name("it.public.items.Value")
          .optional()
          .field("id", Schema.INT32_SCHEMA)
          .field("name", Schema.OPTIONAL_STRING_SCHEMA)
          .build();
  static final Schema SOURCE =
      SchemaBuilder.struct()
          .name("io.debezium.connector.postgresql.Source")
          .field("schema", Schema.STRING_SCHEMA)
          .field("table", Schema.STRING_SCHEMA)
          .field("ts_ms", Schema.INT64_SCHEMA)
          .field("lsn", Schema.OPTIONAL_INT64_SCHEMA)
          .build();
  public static final Schema ENVELOPE =
      SchemaBuilder.struct()
          .name("it.public.items.Envelope")
          .field("before", ROW)
          .field("after", ROW)
          .field("source", SOURCE)
          .field("op", Schema.STRING_SCHEMA)
          .field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA)
          .build();

  private ChangeEvents() {}

  /**
   * A record of op {@code op} for key {@code id}; {@code name} is the row's new name (ignored for
   * deletes).
   */
  public static SinkRecord record(String op, int id, String name, long offset) {
    return record(op, id, name, 0, offset, 100L + offset);
  }

  /**
   * As {@link #record(String, int, String, long)}, on Kafka partition {@code partition}, at LSN
   * {@code lsn}.
   */
  public static SinkRecord record(
      String op, int id, String name, int partition, long offset, long lsn) {
    Struct row = new Struct(ROW).put("id", id);
    return change(
        op,
        ENVELOPE,
        new Struct(KEY).put("id", id),
        op.equals("d") ? row : row.put("name", name),
        partition,
        offset,
        lsn);
  }

  /**
   * The two records of a primary-key change from {@code oldId} to {@code newId}, as Debezium sends
   * them (the delete of the old key and its tombstone at the next offset, the create of the new
   * one, one LSN, headers naming the other key); {@code name} is the new row's name (a placeholder
   * when the value was not sent).
   */
  public static SinkRecord[] keyChange(
      int oldId,
      int newId,
      String name,
      int oldPartition,
      long deleteOffset,
      int newPartition,
      long createOffset,
      long lsn) {
    SinkRecord delete = record("d", oldId, null, oldPartition, deleteOffset, lsn);
    delete.headers().add("__debezium.newkey", new Struct(KEY).put("id", newId), KEY);
    SinkRecord tombstone =
        new SinkRecord(
            "it.public.items",
            oldPartition,
            KEY,
            new Struct(KEY).put("id", oldId),
            null,
            null,
            deleteOffset + 1);
    tombstone.headers().add("__debezium.newkey", new Struct(KEY).put("id", newId), KEY);
    SinkRecord create = record("c", newId, name, newPartition, createOffset, lsn);
    // as Connect's default SimpleHeaderConverter reads it back: a map with the smallest number type
    create
        .headers()
        .addMap(
            "__debezium.oldkey",
            java.util.Map.of("id", (byte) oldId),
            SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT8_SCHEMA).build());
    return new SinkRecord[] {delete, tombstone, create};
  }

  /** {@code public.items} after {@code ALTER TABLE ... ADD COLUMN qty int}. */
  public static final Schema WIDER_ROW =
      SchemaBuilder.struct()
          .name("it.public.items.Value")
          .optional()
          .field("id", Schema.INT32_SCHEMA)
          .field("name", Schema.OPTIONAL_STRING_SCHEMA)
          .field("qty", Schema.OPTIONAL_INT32_SCHEMA)
          .build();

  /** An insert of key {@code id}, named "new", in the shape after the added column. */
  public static SinkRecord widerInsert(int id, int partition, long offset, long lsn) {
    return change(
        "c",
        envelopeOf(WIDER_ROW),
        new Struct(KEY).put("id", id),
        new Struct(WIDER_ROW).put("id", id).put("name", "new"),
        partition,
        offset,
        lsn);
  }

  /** Debezium's envelope around rows of {@code row}, for a table of another shape than items. */
  public static Schema envelopeOf(Schema row) {
    return SchemaBuilder.struct()
        .name("it.public.items.Envelope")
        .field("before", row)
        .field("after", row)
        .field("source", SOURCE)
        .field("op", Schema.STRING_SCHEMA)
        .build();
  }

  /**
   * A change of op {@code op} to {@code public.items} of another shape ({@link #envelopeOf}): its
   * row after the change, or before it for a delete; at {@code lsn}, committed at {@code 1000 +
   * offset}.
   */
  public static SinkRecord change(
      String op, Schema envelope, Struct key, Struct row, int partition, long offset, long lsn) {
    Struct source =
        new Struct(SOURCE)
            .put("schema", "public")
            .put("table", "items")
            .put("ts_ms", 1_000L + offset)
            .put("lsn", lsn);
    Struct value = new Struct(envelope).put("op", op).put("source", source);
    value.put(op.equals("d") ? "before" : "after", row);
    return new SinkRecord("it.public.items", partition, key.schema(), key, envelope, value, offset);
  }

  public static ChangeEvent parse(SinkRecord record) {
    return new ChangeEventParser().parse(record);
  }

  /** A Debezium truncate of {@code public.items}: no key, no row. */
  public static ChangeEvent truncate(long offset) {
    Struct value = new Struct(ENVELOPE).put("op", "t").put("source", source(offset));
    return new ChangeEventParser()
        .parse(new SinkRecord("it.public.items", 0, null, null, ENVELOPE, value, offset));
  }

  /** The source block: commit time and LSN grow with the offset, as in a real stream. */
  private static Struct source(long offset) {
    return new Struct(SOURCE)
        .put("schema", "public")
        .put("table", "items")
        .put("ts_ms", 1_000L + offset)
        .put("lsn", 100L + offset);
  }

  public static ChangeEvent event(String op, int id, String name, long offset) {
    return new ChangeEventParser().parse(record(op, id, name, offset));
  }
}
