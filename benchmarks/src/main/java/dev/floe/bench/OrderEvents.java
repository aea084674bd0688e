package dev.floe.bench;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Debezium-shaped change events of a typical OLTP table, {@code public.orders}: an int key and
 * eleven columns of the types a Postgres table mixes (bigint, text, numeric, timestamptz,
 * timestamp, boolean, smallint, double, date), with the schemas Debezium's Postgres connector gives
 * them under Floe's defaults ({@code decimal.handling.mode=precise}, adaptive microsecond times).
 * The source block carries every field Debezium sends, so the JSON on the wire is as large as a
 * real one.
 */
final class OrderEvents {
  static final String TOPIC = "bench.public.orders";

  static final Schema KEY =
      SchemaBuilder.struct().name(TOPIC + ".Key").field("id", Schema.INT32_SCHEMA).build();
  static final Schema ROW =
      SchemaBuilder.struct()
          .name(TOPIC + ".Value")
          .optional()
          .field("id", Schema.INT32_SCHEMA)
          .field("customer_id", Schema.OPTIONAL_INT64_SCHEMA)
          .field("customer_name", Schema.OPTIONAL_STRING_SCHEMA)
          .field("status", Schema.OPTIONAL_STRING_SCHEMA)
          .field(
              "amount",
              Decimal.builder(2).parameter("connect.decimal.precision", "12").optional().build())
          .field("placed_at", semantic(SchemaBuilder.string(), "io.debezium.time.ZonedTimestamp"))
          .field("updated_at", semantic(SchemaBuilder.int64(), "io.debezium.time.MicroTimestamp"))
          .field("paid", Schema.OPTIONAL_BOOLEAN_SCHEMA)
          .field("quantity", Schema.OPTIONAL_INT16_SCHEMA)
          .field("weight_kg", Schema.OPTIONAL_FLOAT64_SCHEMA)
          .field("note", Schema.OPTIONAL_STRING_SCHEMA)
          .field("ship_date", semantic(SchemaBuilder.int32(), "io.debezium.time.Date"))
          .build();
  static final Schema SOURCE =
      SchemaBuilder.struct()
          .name("io.debezium.connector.postgresql.Source")
          .field("version", Schema.STRING_SCHEMA)
          .field("connector", Schema.STRING_SCHEMA)
          .field("name", Schema.STRING_SCHEMA)
          .field("ts_ms", Schema.INT64_SCHEMA)
          .field("snapshot", Schema.OPTIONAL_STRING_SCHEMA)
          .field("db", Schema.STRING_SCHEMA)
          .field("sequence", Schema.OPTIONAL_STRING_SCHEMA)
          .field("schema", Schema.STRING_SCHEMA)
          .field("table", Schema.STRING_SCHEMA)
          .field("txId", Schema.OPTIONAL_INT64_SCHEMA)
          .field("lsn", Schema.OPTIONAL_INT64_SCHEMA)
          .field("xmin", Schema.OPTIONAL_INT64_SCHEMA)
          .build();
  static final Schema ENVELOPE =
      SchemaBuilder.struct()
          .name(TOPIC + ".Envelope")
          .field("before", ROW)
          .field("after", ROW)
          .field("source", SOURCE)
          .field("op", Schema.STRING_SCHEMA)
          .field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA)
          .build();

  private static final String[] STATUSES = {"new", "paid", "shipped", "delivered"};
  private static final long EPOCH_SECOND = 1_767_225_600L; // 2026-01-01T00:00:00Z

  private OrderEvents() {}

  private static Schema semantic(SchemaBuilder type, String name) {
    return type.name(name).version(1).optional().build();
  }

  /**
   * A change of key {@code id} ({@code op} c, u or d); {@code version} counts the key's changes, so
   * an update really changes values. A delete's before-image holds only the key, as under the
   * default REPLICA IDENTITY.
   */
  static SinkRecord record(String op, int id, int version, long offset) {
    Struct value = new Struct(ENVELOPE).put("op", op).put("source", source(offset));
    value.put("ts_ms", EPOCH_SECOND * 1000 + offset);
    if (op.equals("d")) {
      value.put("before", new Struct(ROW).put("id", id));
    } else {
      value.put("after", row(id, version));
    }
    return new SinkRecord(TOPIC, 0, KEY, new Struct(KEY).put("id", id), ENVELOPE, value, offset);
  }

  /**
   * {@code update}'s {@code note} as Debezium sends a large text an update left unchanged, without
   * REPLICA IDENTITY FULL: its placeholder.
   */
  static void unchangedNote(SinkRecord update) {
    ((Struct) update.value())
        .getStruct("after")
        .put("note", dev.floe.sink.schema.UnavailableValues.DEBEZIUM_DEFAULT);
  }

  private static Struct row(int id, int version) {
    long placed = EPOCH_SECOND + id;
    return new Struct(ROW)
        .put("id", id)
        .put("customer_id", 10_000L + id % 5_000)
        .put("customer_name", "customer " + id % 5_000)
        .put("status", STATUSES[version % STATUSES.length])
        .put("amount", BigDecimal.valueOf(id * 7L % 1_000_000 + version, 2))
        .put(
            "placed_at",
            DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                Instant.ofEpochSecond(placed).atOffset(ZoneOffset.UTC)))
        .put("updated_at", (placed + version * 60L) * 1_000_000L)
        .put("paid", version % 2 == 1)
        .put("quantity", (short) (1 + id % 20))
        .put("weight_kg", (id % 1_000) / 10.0)
        .put("note", id % 2 == 0 ? null : "leave at the door, ring twice")
        .put("ship_date", (int) (placed / 86_400) + 3);
  }

  /** Commit time, LSN and transaction grow with the offset, as in a real stream. */
  private static Struct source(long offset) {
    return source("orders", offset);
  }

  /** The source block of a change of {@code public.<table>} at {@code offset}. */
  static Struct source(String table, long offset) {
    return new Struct(SOURCE)
        .put("version", "3.6.1.Final")
        .put("connector", "postgresql")
        .put("name", "bench")
        .put("ts_ms", EPOCH_SECOND * 1000 + offset)
        .put("snapshot", "false")
        .put("db", "shop")
        .put("sequence", "[\"" + (24_000_000L + offset) + "\",\"" + (24_000_100L + offset) + "\"]")
        .put("schema", "public")
        .put("table", table)
        .put("txId", 5_000L + offset / 4)
        .put("lsn", 24_000_100L + offset * 256)
        .put("xmin", null);
  }
}
