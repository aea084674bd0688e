package dev.floe.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.floe.local.PostgresEndpoint;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Records the sink cannot apply, each of a kind Postgres and Debezium never produce, written with a
 * plain producer into the topic Debezium fills with a table's changes: bytes that are not JSON, no
 * key, no schema, an unknown op, an invalid UUID, a numeric(39,2) column, a source table whose name
 * holds a path separator and one too long for any catalog. Each lands in the dead letter topic with
 * its reason in the headers, the sink task stays RUNNING, and the changes around them reach
 * Iceberg.
 */
class BadRecordsIT extends PipelineTestBase {
  private static final String TOPIC = "br.bad.items";
  private static final String DEAD_LETTERS = "br-dead-letters";
  private static final Duration CATCH_UP = Duration.ofSeconds(120);

  private static final String KEY_SCHEMA =
      "{\"type\":\"struct\",\"optional\":false,\"name\":\"br.bad.items.Key\",\"fields\":"
          + "[{\"type\":\"int32\",\"optional\":false,\"field\":\"id\"}]}";
  private static final String ITEM_COLUMNS =
      "[{\"type\":\"int32\",\"optional\":false,\"field\":\"id\"},"
          + "{\"type\":\"string\",\"optional\":true,\"field\":\"name\"},"
          + "{\"type\":\"string\",\"optional\":true,\"name\":\"io.debezium.data.Uuid\","
          + "\"version\":1,\"field\":\"ref\"}]";
  private static final String WIDE_COLUMNS =
      "[{\"type\":\"int32\",\"optional\":false,\"field\":\"id\"},"
          + "{\"type\":\"bytes\",\"optional\":true,\"name\":\"org.apache.kafka.connect.data.Decimal\","
          + "\"version\":1,\"parameters\":{\"scale\":\"2\",\"connect.decimal.precision\":\"39\"},"
          + "\"field\":\"amount\"}]";

  @BeforeAll
  static void startPipeline() throws Exception {
    pipeline = PipelineHarness.start();
    pipeline.sql(
        "create schema bad",
        "create table bad.items (id int primary key, name text, ref uuid)",
        "insert into bad.items values (1, 'before', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11')");
    pipeline.startSource(
        "br-source",
        Map.of(
            "topic.prefix",
            "br",
            "schema.include.list",
            "bad",
            "slot.name",
            "br_slot",
            "publication.name",
            "br_publication"));
    Map<String, String> sink = new HashMap<>();
    sink.put("topics.regex", "br\\.bad\\..*");
    sink.put("commit.interval.ms", "1000");
    sink.put("errors.tolerance", "all");
    sink.put("errors.deadletterqueue.topic.name", DEAD_LETTERS);
    sink.put("errors.deadletterqueue.topic.replication.factor", "1");
    sink.put("errors.deadletterqueue.context.headers.enable", "true");
    pipeline.startSink("br-sink", sink);
  }

  @Test
  void eachBadRecordGoesToTheDeadLetterTopicWithItsReasonAndTheTableKeepsFlowing()
      throws Exception {
    // the topic exists and the sink reads it
    pipeline.awaitSameRows("bad.items", "cdc.bad_items", "id", CATCH_UP);

    Map<String, byte[][]> bad = new LinkedHashMap<>();
    bad.put("not JSON", new byte[][] {key(101), bytes("{\"schema\": {\"type\": \"struct\", nope")});
    bad.put("no key", new byte[][] {null, item(102, "c", "\"no key\"", null)});
    bad.put(
        "no schema",
        new byte[][] {key(103), bytes("{\"schema\":null,\"payload\":{\"op\":\"c\",\"id\":103}}")});
    bad.put("unknown op", new byte[][] {key(104), item(104, "x", "\"unknown op\"", null)});
    bad.put("invalid uuid", new byte[][] {key(105), item(105, "c", "\"bad uuid\"", "not-a-uuid")});
    bad.put(
        "numeric(39,2)",
        new byte[][] {
          key(106), envelope("wide", WIDE_COLUMNS, "{\"id\":106,\"amount\":\"ZA==\"}", "c")
        });
    bad.put(
        "path separator",
        new byte[][] {key(107), envelope("bad/name", ITEM_COLUMNS, "{\"id\":107}", "c")});
    bad.put(
        "name too long",
        new byte[][] {key(108), envelope("t".repeat(300), ITEM_COLUMNS, "{\"id\":108}", "c")});
    Map<Long, String> kindByOffset = produce(bad);

    // changes after the bad records still land, and the task never stopped
    pipeline.sql(
        "insert into bad.items values (2, 'after', 'b0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12')",
        "update bad.items set name = 'changed after' where id = 1");
    TableSnapshot rows = pipeline.awaitSameRows("bad.items", "cdc.bad_items", "id", CATCH_UP);
    assertEquals(2, rows.rowsByKey.size(), String.valueOf(rows.rowsByKey));
    assertTaskRunning();

    Map<String, String> reasons = new TreeMap<>();
    for (ConsumerRecord<byte[], byte[]> dead :
        DeadLetters.read(
            pipeline.stack.kafka().bootstrapServers(), DEAD_LETTERS, kindByOffset.size())) {
      String kind = kindByOffset.get(Long.valueOf(header(dead, "__connect.errors.offset")));
      reasons.put(kind, header(dead, "__connect.errors.exception.message"));
    }
    assertEquals(new TreeMap<>(bad).keySet(), reasons.keySet(), String.valueOf(reasons));
    assertTrue(!reasons.get("not JSON").isEmpty(), "Connect's converter says why");
    assertReason(reasons, "no key", "has no primary key");
    assertReason(reasons, "no schema", "has no schema");
    assertReason(reasons, "unknown op", "unknown operation in 'op' ('x')");
    assertReason(reasons, "invalid uuid", "Column 'ref': cannot hold not-a-uuid as uuid");
    assertReason(reasons, "numeric(39,2)", "Column 'amount' is numeric(39, 2)");
    assertReason(reasons, "path separator", "holds a path separator");
    assertReason(reasons, "name too long", "is longer than 255 bytes");
    assertTaskRunning();
  }

  private static void assertReason(Map<String, String> reasons, String kind, String part) {
    assertTrue(reasons.get(kind).contains(part), kind + ": " + reasons.get(kind));
  }

  private static void assertTaskRunning() throws Exception {
    assertTrue(
        pipeline.stack.worker().rest().isRunning("br-sink"),
        String.valueOf(pipeline.stack.worker().rest().status("br-sink")));
  }

  /** Writes each record to the table's topic; returns each one's offset with its kind. */
  private static Map<Long, String> produce(Map<String, byte[][]> records) throws Exception {
    Properties props = new Properties();
    props.put("bootstrap.servers", pipeline.stack.kafka().bootstrapServers());
    Map<Long, String> kindByOffset = new HashMap<>();
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (Map.Entry<String, byte[][]> record : records.entrySet()) {
        long offset =
            producer
                .send(new ProducerRecord<>(TOPIC, 0, record.getValue()[0], record.getValue()[1]))
                .get()
                .offset();
        kindByOffset.put(offset, record.getKey());
      }
    }
    return kindByOffset;
  }

  private static byte[] key(int id) {
    return bytes("{\"schema\":" + KEY_SCHEMA + ",\"payload\":{\"id\":" + id + "}}");
  }

  private static byte[] item(int id, String op, String name, String ref) {
    String after =
        "{\"id\":"
            + id
            + ",\"name\":"
            + name
            + ",\"ref\":"
            + (ref == null ? "null" : "\"" + ref + "\"")
            + "}";
    return envelope("items", ITEM_COLUMNS, after, op);
  }

  /** A Debezium envelope of a row of {@code bad.<table>}, as JsonConverter writes it. */
  private static byte[] envelope(String table, String columns, String after, String op) {
    String row =
        "{\"type\":\"struct\",\"optional\":true,\"name\":\"br.bad.Value\",\"fields\":"
            + columns
            + "}";
    String schema =
        "{\"type\":\"struct\",\"optional\":false,\"name\":\"br.bad.Envelope\",\"fields\":["
            + row.replace("{\"type\":\"struct\",", "{\"field\":\"before\",\"type\":\"struct\",")
            + ","
            + row.replace("{\"type\":\"struct\",", "{\"field\":\"after\",\"type\":\"struct\",")
            + ",{\"field\":\"source\",\"type\":\"struct\",\"optional\":false,\"fields\":["
            + "{\"type\":\"string\",\"optional\":false,\"field\":\"schema\"},"
            + "{\"type\":\"string\",\"optional\":false,\"field\":\"table\"}]},"
            + "{\"type\":\"string\",\"optional\":true,\"field\":\"op\"}]}";
    String payload =
        "{\"before\":null,\"after\":"
            + after
            + ",\"source\":{\"schema\":\"bad\",\"table\":\""
            + table
            + "\"},\"op\":\""
            + op
            + "\"}";
    return bytes("{\"schema\":" + schema + ",\"payload\":" + payload + "}");
  }

  /**
   * Two databases with a table of the same name ({@code shared.users} in the stack's database and
   * in {@code billing}), each captured by its source connector, read by one sink: under the default
   * naming both go to {@code cdc.shared_users}, and with the same keys their rows overwrote each
   * other there. The first database's table owns it and it holds exactly that table's rows; every
   * change of the other, its tombstone too, goes to the dead letter topic with both names and the
   * fix.
   */
  @Test
  void twoDatabasesTablesOfOneNameDoNotShareATable() throws Exception {
    String[] table = {
      "create schema shared",
      "create table shared.users (id int primary key, v text)",
      "insert into shared.users select g, 'first ' || g from generate_series(1, 20) g"
    };
    pipeline.sql(table);
    pipeline.sql("create database billing");
    PostgresEndpoint main = pipeline.stack.source();
    PostgresEndpoint billing =
        new PostgresEndpoint(main.host(), main.port(), main.user(), main.password(), "billing");
    try (Connection db =
            DriverManager.getConnection(billing.jdbcUrl(), billing.user(), billing.password());
        Statement st = db.createStatement()) {
      for (String statement : table) {
        st.execute(statement.replace("'first '", "'billing '"));
      }
    }
    pipeline.startSource("users-source", clashSource("users", main.database()));
    Map<String, String> sink = new HashMap<>();
    sink.put("topics.regex", "(users|billing)\\.shared\\.users");
    sink.put("commit.interval.ms", "1000");
    sink.put("errors.tolerance", "all");
    sink.put("errors.deadletterqueue.topic.name", "users-dead-letters");
    sink.put("errors.deadletterqueue.topic.replication.factor", "1");
    sink.put("errors.deadletterqueue.context.headers.enable", "true");
    pipeline.startSink("users-sink", sink);
    pipeline.awaitSameRows("shared.users", "cdc.shared_users", "id", CATCH_UP);
    assertEquals(
        main.database() + ".shared.users",
        pipeline.table("cdc.shared_users").properties().get("floe.source-table"));

    pipeline.startSource("billing-source", clashSource("billing", "billing"));
    try (Connection db =
            DriverManager.getConnection(billing.jdbcUrl(), billing.user(), billing.password());
        Statement st = db.createStatement()) {
      st.execute("update shared.users set v = 'billing changed' where id > 15");
      st.execute("delete from shared.users where id = 1");
    }
    pipeline.sql(
        "update shared.users set v = 'changed' where id <= 5",
        "insert into shared.users values (21, 'new')");
    TableSnapshot rows = pipeline.awaitSameRows("shared.users", "cdc.shared_users", "id", CATCH_UP);
    assertEquals(21, rows.rowsByKey.size());
    assertEquals(0, rows.duplicateKeys);
    // billing's 20 snapshot rows, 5 updates, a delete and its tombstone
    List<ConsumerRecord<byte[], byte[]>> dead =
        DeadLetters.read(pipeline.stack.kafka().bootstrapServers(), "users-dead-letters", 27);
    assertEquals(27, dead.size());
    for (ConsumerRecord<byte[], byte[]> letter : dead) {
      assertEquals("billing.shared.users", header(letter, "__connect.errors.topic"));
      String reason = header(letter, "__connect.errors.exception.message");
      assertTrue(
          reason.startsWith(
              "Source tables billing.shared.users and "
                  + main.database()
                  + ".shared.users (database.schema.table) both go to Iceberg table cdc.shared_users"),
          reason);
      assertTrue(reason.contains("iceberg.tables.route-regex"), reason);
    }
    // still the first database's rows only, after billing's changes were read
    pipeline.awaitSameRows("shared.users", "cdc.shared_users", "id", CATCH_UP);
    assertTrue(pipeline.stack.worker().rest().isRunning("users-sink"), "the sink keeps running");
  }

  private static Map<String, String> clashSource(String prefix, String database) {
    return Map.of(
        "topic.prefix",
        prefix,
        "database.dbname",
        database,
        "schema.include.list",
        "shared",
        "slot.name",
        prefix + "_slot",
        "publication.name",
        prefix + "_publication");
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
