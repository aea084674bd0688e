package dev.floe.bench;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Debezium-shaped creates of a wide row, {@code public.documents}: about 5 KB of text and JSON
 * (mostly Latin-1; every third title is not, so Java keeps it as UTF-16), a text array, an hstore
 * map, a uuid, a decimal, a timestamptz and a bytea, with the schemas Debezium gives them. Each
 * value is a new object, as a converter makes them, so a buffered row keeps what a real one keeps.
 */
final class DocumentEvents {
  static final String TOPIC = "bench.public.documents";

  static final Schema KEY =
      SchemaBuilder.struct().name(TOPIC + ".Key").field("id", Schema.INT32_SCHEMA).build();
  static final Schema ROW =
      SchemaBuilder.struct()
          .name(TOPIC + ".Value")
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
          .field(
              "price",
              Decimal.builder(2).parameter("connect.decimal.precision", "12").optional().build())
          .field("created_at", semantic(SchemaBuilder.string(), "io.debezium.time.ZonedTimestamp"))
          .field("revision", Schema.OPTIONAL_INT64_SCHEMA)
          .field("digest", Schema.OPTIONAL_BYTES_SCHEMA)
          .build();
  static final Schema SOURCE = OrderEvents.SOURCE;
  static final Schema ENVELOPE =
      SchemaBuilder.struct()
          .name(TOPIC + ".Envelope")
          .field("before", ROW)
          .field("after", ROW)
          .field("source", SOURCE)
          .field("op", Schema.STRING_SCHEMA)
          .field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA)
          .build();

  private static final String[] WORDS = {"lorem", "ipsum", "dolor", "sit", "amet", "consectetur"};
  private static final long EPOCH_SECOND = 1_767_225_600L; // 2026-01-01T00:00:00Z

  private DocumentEvents() {}

  private static Schema semantic(SchemaBuilder type, String name) {
    return type.name(name).version(1).optional().build();
  }

  /** The create of document {@code id} at Kafka offset {@code offset}. */
  static SinkRecord create(int id, long offset) {
    Struct value =
        new Struct(ENVELOPE)
            .put("op", "c")
            .put("source", OrderEvents.source("documents", offset))
            .put("ts_ms", EPOCH_SECOND * 1000 + offset)
            .put("after", row(id));
    return new SinkRecord(TOPIC, 0, KEY, new Struct(KEY).put("id", id), ENVELOPE, value, offset);
  }

  private static Struct row(int id) {
    SplittableRandom random = new SplittableRandom(id);
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
    return new Struct(ROW)
        .put("id", id)
        .put("title", "Quarterly report " + id + (id % 3 == 0 ? " — draft" : " (final)"))
        .put("body", words(random, 2_000))
        .put("payload", json(random, 3_000))
        .put("tags", tags)
        .put("attributes", attributes)
        .put("doc_id", new UUID(random.nextLong(), random.nextLong()).toString())
        .put("price", BigDecimal.valueOf(random.nextInt(1_000_000), 2))
        .put("created_at", Instant.ofEpochSecond(EPOCH_SECOND + id).toString())
        .put("revision", 1_000L + id)
        .put("digest", digest);
  }

  private static String words(SplittableRandom random, int length) {
    StringBuilder text = new StringBuilder(length + 16);
    while (text.length() < length) {
      text.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
    }
    return text.toString();
  }

  private static String json(SplittableRandom random, int length) {
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
}
