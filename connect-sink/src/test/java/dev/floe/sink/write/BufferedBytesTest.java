package dev.floe.sink.write;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.floe.sink.commit.CommitCycle;
import dev.floe.sink.commit.CommitCycleBuilder;
import dev.floe.sink.event.ChangeEvent;
import dev.floe.sink.event.ChangeEventParser;
import dev.floe.sink.fill.FillSettings;
import dev.floe.sink.route.TableProvisioner;
import dev.floe.sink.route.TableRouter;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.IntFunction;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

/**
 * {@code flush.max.bytes} bounds what the buffer really takes: the estimate of buffered rows is
 * held against the heap they occupy, measured (used heap after full collections, before and after
 * buffering), for a narrow row and a wide one, folded by key, and for a changelog's rows with their
 * metadata. Events come through Connect's JSON converter, so every value is a fresh object as in a
 * running task, and through the task's apply path into the buffer.
 */
class BufferedBytesTest {
  private static final Schema KEY =
      SchemaBuilder.struct().name("t.public.x.Key").field("id", Schema.INT32_SCHEMA).build();
  private static final Schema SOURCE =
      SchemaBuilder.struct()
          .name("io.debezium.connector.postgresql.Source")
          .field("schema", Schema.STRING_SCHEMA)
          .field("table", Schema.STRING_SCHEMA)
          .field("ts_ms", Schema.INT64_SCHEMA)
          .field("lsn", Schema.OPTIONAL_INT64_SCHEMA)
          .build();

  /**
   * The benchmarks' {@code public.orders}: twelve columns of mixed types, ~100 bytes in Postgres.
   */
  private static final Schema ORDER =
      SchemaBuilder.struct()
          .name("t.public.orders.Value")
          .optional()
          .field("id", Schema.INT32_SCHEMA)
          .field("customer_id", Schema.OPTIONAL_INT64_SCHEMA)
          .field("customer_name", Schema.OPTIONAL_STRING_SCHEMA)
          .field("status", Schema.OPTIONAL_STRING_SCHEMA)
          .field("amount", Decimal.builder(2).optional().build())
          .field("placed_at", semantic(SchemaBuilder.string(), "io.debezium.time.ZonedTimestamp"))
          .field("updated_at", semantic(SchemaBuilder.int64(), "io.debezium.time.MicroTimestamp"))
          .field("paid", Schema.OPTIONAL_BOOLEAN_SCHEMA)
          .field("quantity", Schema.OPTIONAL_INT16_SCHEMA)
          .field("weight_kg", Schema.OPTIONAL_FLOAT64_SCHEMA)
          .field("note", Schema.OPTIONAL_STRING_SCHEMA)
          .field("ship_date", semantic(SchemaBuilder.int32(), "io.debezium.time.Date"))
          .build();

  /** A document table: ~5 KB of text and JSON per row, a list, a map, a uuid and bytes. */
  private static final Schema DOCUMENT =
      SchemaBuilder.struct()
          .name("t.public.documents.Value")
          .optional()
          .field("id", Schema.INT32_SCHEMA)
          .field("title", Schema.OPTIONAL_STRING_SCHEMA)
          .field("body", Schema.OPTIONAL_STRING_SCHEMA)
          .field("payload", semantic(SchemaBuilder.string(), "io.debezium.data.Json"))
          .field("tags", SchemaBuilder.array(Schema.OPTIONAL_STRING_SCHEMA).optional().build())
          .field(
              "attributes",
              SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.OPTIONAL_STRING_SCHEMA)
                  .optional()
                  .build())
          .field("doc_id", semantic(SchemaBuilder.string(), "io.debezium.data.Uuid"))
          .field("price", Decimal.builder(2).optional().build())
          .field("created_at", semantic(SchemaBuilder.string(), "io.debezium.time.ZonedTimestamp"))
          .field("revision", Schema.OPTIONAL_INT64_SCHEMA)
          .field("digest", Schema.OPTIONAL_BYTES_SCHEMA)
          .build();

  private final JsonConverter keys = converter(true);
  private final JsonConverter values = converter(false);
  private final ChangeEventParser parser = new ChangeEventParser();

  @Test
  void aNarrowRowIsEstimatedWithinAQuarterOfTheHeapItTakes() {
    assertEstimateHolds(WriteMode.UPSERT, "orders", ORDER, BufferedBytesTest::order, 40_000);
  }

  @Test
  void aWideRowOfTextJsonListsAndMapsIsEstimatedWithinAQuarterOfTheHeapItTakes() {
    assertEstimateHolds(
        WriteMode.UPSERT, "documents", DOCUMENT, BufferedBytesTest::document, 5_000);
  }

  @Test
  void aChangelogRowWithItsMetadataIsEstimatedWithinAQuarterOfTheHeapItTakes() {
    assertEstimateHolds(WriteMode.CHANGELOG, "orders", ORDER, BufferedBytesTest::order, 40_000);
  }

  private void assertEstimateHolds(
      WriteMode mode, String table, Schema rowSchema, IntFunction<Struct> rows, int count) {
    InMemoryCatalog catalog = new InMemoryCatalog();
    catalog.initialize("mem", Map.of());
    TableWriters writers =
        new TableWriters(
            new TableRouter("cdc"),
            new TableProvisioner(catalog, true, 2, Map.of(), name -> null, mode),
            mode,
            t -> Map.of(),
            FillSettings.DEFAULT,
            0);
    CommitCycle task =
        CommitCycleBuilder.of(writers, "sink").flushMaxRecords(Integer.MAX_VALUE).build();
    task.apply(insert(table, rowSchema, rows.apply(0), 0)); // creates the table, warms up
    long estimatedBefore = writers.pendingBytes();
    long before = usedHeap();
    for (int id = 1; id <= count; id++) {
      task.apply(insert(table, rowSchema, rows.apply(id), id));
    }
    long real = (usedHeap() - before) / count;
    long estimated = (writers.pendingBytes() - estimatedBefore) / count;
    double ratio = estimated / (double) real;
    System.out.printf(
        "%s, %s: %d bytes a buffered row on the heap, %d estimated (%.2f)%n",
        table, mode, real, estimated, ratio);
    assertTrue(
        ratio >= 0.75 && ratio <= 1.25,
        table + ", " + mode + ": estimated " + estimated + " bytes a row, the heap holds " + real);
  }

  /** A create of {@code row}, as the task gets it: JSON with schemas, read back by Connect. */
  private ChangeEvent insert(String table, Schema rowSchema, Struct row, long offset) {
    Schema envelope =
        SchemaBuilder.struct()
            .name("t.public." + table + ".Envelope")
            .field("before", rowSchema)
            .field("after", rowSchema)
            .field("source", SOURCE)
            .field("op", Schema.STRING_SCHEMA)
            .build();
    Struct source =
        new Struct(SOURCE)
            .put("schema", "public")
            .put("table", table)
            .put("ts_ms", 1_000L + offset)
            .put("lsn", 100L + offset);
    Struct value = new Struct(envelope).put("op", "c").put("after", row).put("source", source);
    String topic = "t.public." + table;
    Struct key = new Struct(KEY).put("id", row.getInt32("id"));
    SchemaAndValue k = keys.toConnectData(topic, keys.fromConnectData(topic, KEY, key));
    SchemaAndValue v = values.toConnectData(topic, values.fromConnectData(topic, envelope, value));
    return parser.parse(
        new SinkRecord(topic, 0, k.schema(), k.value(), v.schema(), v.value(), offset));
  }

  private static Struct order(int id) {
    long placed = 1_767_225_600L + id;
    return new Struct(ORDER)
        .put("id", id)
        .put("customer_id", 10_000L + id % 5_000)
        .put("customer_name", "customer " + id % 5_000)
        .put("status", List.of("new", "paid", "shipped").get(id % 3))
        .put("amount", BigDecimal.valueOf(id * 7L % 1_000_000, 2))
        .put("placed_at", Instant.ofEpochSecond(placed).atOffset(ZoneOffset.UTC).toString())
        .put("updated_at", placed * 1_000_000L)
        .put("paid", id % 2 == 1)
        .put("quantity", (short) (1 + id % 20))
        .put("weight_kg", (id % 1_000) / 10.0)
        .put("note", id % 2 == 0 ? null : "leave at the door, ring twice")
        .put("ship_date", (int) (placed / 86_400) + 3);
  }

  /** Mostly Latin-1 text; every third title has a dash outside it, so Java keeps it as UTF-16. */
  private static Struct document(int id) {
    Random random = new Random(id);
    List<String> tags = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      tags.add("tag-" + random.nextInt(1_000));
    }
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("lang", "en");
    attributes.put("owner", "user-" + random.nextInt(10_000));
    attributes.put("source", "import");
    byte[] digest = new byte[32];
    random.nextBytes(digest);
    return new Struct(DOCUMENT)
        .put("id", id)
        .put("title", "Quarterly report " + id + (id % 3 == 0 ? " — draft" : " (final)"))
        .put("body", words(random, 2_000))
        .put("payload", json(random, 3_000))
        .put("tags", tags)
        .put("attributes", attributes)
        .put("doc_id", new UUID(random.nextLong(), random.nextLong()).toString())
        .put("price", BigDecimal.valueOf(random.nextInt(1_000_000), 2))
        .put("created_at", Instant.ofEpochSecond(1_767_225_600L + id).toString())
        .put("revision", 1_000L + id)
        .put("digest", digest);
  }

  private static String words(Random random, int length) {
    StringBuilder text = new StringBuilder(length + 16);
    while (text.length() < length) {
      text.append("lorem ipsum dolor sit amet ".split(" ")[random.nextInt(5)]).append(' ');
    }
    return text.toString();
  }

  private static String json(Random random, int length) {
    StringBuilder text = new StringBuilder(length + 64).append('[');
    while (text.length() < length) {
      text.append("{\"sku\":\"A-")
          .append(random.nextInt(100_000))
          .append("\",\"qty\":")
          .append(random.nextInt(50))
          .append(",\"note\":\"café crème\"},");
    }
    return text.append("{}]").toString();
  }

  private static Schema semantic(SchemaBuilder type, String name) {
    return type.name(name).version(1).optional().build();
  }

  private static JsonConverter converter(boolean isKey) {
    JsonConverter converter = new JsonConverter();
    converter.configure(
        Map.of("schemas.enable", "true", "replace.null.with.default", "false"), isKey);
    return converter;
  }

  /**
   * The used heap once full collections stop changing it: garbage other tests left (their pools and
   * catalogs) is gone before and after, so the difference is what the buffer holds.
   */
  private static long usedHeap() {
    long last = Long.MAX_VALUE;
    for (int i = 0; i < 20; i++) {
      System.gc();
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      if (Math.abs(last - used) < 256 * 1024) {
        return used;
      }
      last = used;
    }
    return last;
  }
}
