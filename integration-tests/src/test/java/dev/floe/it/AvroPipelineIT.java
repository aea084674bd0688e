package dev.floe.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The pipeline with Avro on every topic, as most production Connect clusters run it: Apicurio
 * Registry's AvroConverter installed on the worker's plugin.path, in Confluent's wire format (a
 * zero byte, then the schema's 4-byte content id), schemas registered in a registry that checks
 * BACKWARD compatibility ({@code LocalSchemaRegistry}); connectors from config-examples/avro. A
 * table with Postgres' default replica identity: snapshot, then streamed inserts, updates, deletes,
 * a key change, columns explicitly NULL where the column has a DEFAULT (an Avro converter reads
 * such a null as the default unless told not to), and DDL that evolves the registered schema. Every
 * type through Avro is {@link AvroTypesIT}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AvroPipelineIT extends PipelineTestBase {
  private static final Duration CATCH_UP = Duration.ofSeconds(120);
  private static final String TOPIC = "av.shop.items";

  @BeforeAll
  static void startPipeline() throws Exception {
    pipeline = PipelineHarness.startWithAvro();
    pipeline.sql(
        "create schema shop",
        "create table shop.items (id int primary key, name text not null,"
            + " status text default 'new', qty int default 7, price numeric(10,2),"
            + " note text default 'none', placed timestamptz default now())",
        "insert into shop.items (id, name, price) select g, 'item ' || g, g * 1.5"
            + " from generate_series(1, 40) g",
        "insert into shop.items (id, name, status, qty, note) values (41, 'nulls', null, null, null)");
    pipeline.startSource(
        "avro-source",
        Map.of(
            "topic.prefix", "av",
            "schema.include.list", "shop",
            "slot.name", "av_slot",
            "publication.name", "av_publication"));
    pipeline.startSink(
        "avro-sink",
        Map.of(
            "topics.regex", "av\\.shop\\..*",
            "commit.interval.ms", "1000",
            // rows from before an ADD COLUMN ... DEFAULT read the default, as in Postgres
            "iceberg.tables.format-version", "3"));
  }

  @Test
  @Order(1)
  void snapshotAndStreamedChangesArriveExactly() throws Exception {
    assertSame();
    pipeline.sql(
        // explicit NULLs in columns that have a DEFAULT, through the WAL: they must stay NULL
        "insert into shop.items (id, name, status, qty, note, placed)"
            + " values (50, 'null row', null, null, null, null)",
        "update shop.items set status = null, qty = null where id between 1 and 5",
        "update shop.items set status = 'shipped', qty = qty + 1 where id between 6 and 15",
        "delete from shop.items where id between 16 and 20",
        "update shop.items set id = id + 100 where id in (21, 22)",
        "insert into shop.items (id, name) values (51, 'defaults')");
    TableSnapshot rows = assertSame();
    assertEquals(0, rows.duplicateKeys);
    assertNull(rows.rowsByKey.get("50").get("status"), "an explicit NULL stays NULL");
    assertNull(rows.rowsByKey.get("3").get("qty"), "an update to NULL stays NULL");
    assertEquals("new", rows.rowsByKey.get("51").get("status"), "a default Postgres filled in");
  }

  @Test
  @Order(2)
  void eachTopicHoldsConfluentWireFormatWithRegisteredSchemas() throws Exception {
    List<ConsumerRecord<byte[], byte[]>> records = rawRecords();
    assertTrue(records.size() > 40, "records on " + TOPIC + ": " + records.size());
    int valueSchemas = pipeline.registry.schemas(TOPIC + "-value").size();
    assertTrue(valueSchemas >= 1, "the value schema is registered under " + TOPIC + "-value");
    assertEquals(1, pipeline.registry.schemas(TOPIC + "-key").size(), "one key schema");
    for (ConsumerRecord<byte[], byte[]> record : records) {
      for (byte[] bytes : new byte[][] {record.key(), record.value()}) {
        if (bytes == null) {
          continue; // a tombstone after a delete
        }
        ByteBuffer wire = ByteBuffer.wrap(bytes);
        assertEquals(0, wire.get(), "Confluent's magic byte at offset " + record.offset());
        int contentId = wire.getInt();
        assertTrue(contentId >= 1, "a content id at offset " + record.offset());
      }
    }
  }

  /**
   * DDL evolves the table's Avro schema: every new version is registered (the registry refuses a
   * change that is not BACKWARD compatible) and the sink evolves the Iceberg table to match.
   */
  @Test
  @Order(3)
  void ddlEvolvesTheRegisteredSchemaAndTheTable() throws Exception {
    int before = pipeline.registry.schemas(TOPIC + "-value").size();
    pipeline.sql(
        "alter table shop.items add column tags text[]",
        "alter table shop.items add column region text not null default 'eu'",
        "alter table shop.items alter column qty type bigint",
        "insert into shop.items (id, name, tags, region, qty) values"
            + " (60, 'evolved', '{a,b}', 'us', 9000000000), (61, 'eu row', null, default, null)",
        "update shop.items set tags = '{x}' where id = 7",
        "alter table shop.items drop column note",
        "insert into shop.items (id, name, region) values (62, 'after drop', 'apac')",
        "update shop.items set region = 'us' where id between 8 and 9");
    try (Connection c = pipeline.postgres()) {
      List<String> columns = TableSnapshot.ofPostgres(c, "shop.items", "id").columns();
      assertSame(columns.toArray(String[]::new));
    }
    assertTrue(
        pipeline.registry.schemas(TOPIC + "-value").size() > before,
        "the DDL registered new value schema versions");
  }

  /**
   * A DDL the registry's rule refuses (a nullable column made NOT NULL: a reader of the new schema
   * cannot read the old's nulls) stops the source task with the registry's answer; nothing is lost:
   * once the operator relaxes the rule and restarts the task, the change and everything after it
   * arrive.
   */
  @Test
  @Order(4)
  void aChangeTheRegistryRefusesStopsTheSourceAndLosesNothing() throws Exception {
    pipeline.sql(
        "update shop.items set status = 'unset' where status is null",
        "alter table shop.items alter column status set not null",
        "insert into shop.items (id, name, status) values (70, 'strict', 'new')",
        "update shop.items set qty = 1 where id = 1");
    String[] trace = {""};
    Waits.until(
        CATCH_UP,
        "the source task failing on the refused schema",
        () -> {
          JsonNode task =
              pipeline.stack.worker().rest().status("avro-source").path("tasks").path(0);
          trace[0] = task.path("trace").asText();
          return "FAILED".equals(task.path("state").asText());
        },
        () -> trace[0]);
    assertTrue(trace[0].contains("Incompatible with the latest schema"), trace[0]);

    pipeline.registry.checkBackwardCompatibility(false);
    try {
      pipeline.stack.worker().rest().post("connectors/avro-source/tasks/0/restart");
      pipeline.awaitRunning("avro-source");
      try (Connection c = pipeline.postgres()) {
        List<String> columns = TableSnapshot.ofPostgres(c, "shop.items", "id").columns();
        TableSnapshot rows = assertSame(columns.toArray(String[]::new));
        assertEquals("strict", rows.rowsByKey.get("70").get("name"));
        assertEquals("1", rows.rowsByKey.get("1").get("qty"));
      }
    } finally {
      pipeline.registry.checkBackwardCompatibility(true);
    }
  }

  /** Waits until Iceberg holds Postgres's rows, in all of Postgres's columns or in {@code only}. */
  private static TableSnapshot assertSame(String... only) throws Exception {
    return pipeline.awaitSameColumns("shop.items", "cdc.shop_items", "id", CATCH_UP, only);
  }

  private static List<ConsumerRecord<byte[], byte[]>> rawRecords() {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.stack.kafka().bootstrapServers());
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition partition = new TopicPartition(TOPIC, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      while (consumer.position(partition) < end) {
        consumer.poll(Duration.ofSeconds(1)).forEach(records::add);
      }
    }
    return records;
  }
}
