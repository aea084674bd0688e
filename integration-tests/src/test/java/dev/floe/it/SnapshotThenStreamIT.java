package dev.floe.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The walking skeleton, end to end: Postgres rows that exist before the connectors start (the
 * snapshot) and the inserts, updates and deletes made after (the WAL) reach an Iceberg table on the
 * S3 endpoint through the two plugin archives loaded by a real Connect worker, and the table equals
 * Postgres row for row.
 */
class SnapshotThenStreamIT extends PipelineTestBase {
  private static final Duration CATCH_UP = Duration.ofSeconds(120);

  @BeforeAll
  static void startPipeline() throws Exception {
    pipeline = PipelineHarness.start();
    pipeline.sql(
        "create schema shop",
        "create table shop.customers (id int primary key, name text not null, email text, "
            + "balance numeric(12,2), active boolean, score double precision, born date, "
            + "created_at timestamp, updated_at timestamptz, tags text[], photo bytea, visits bigint)",
        "insert into shop.customers values "
            + "(1, 'alice', 'alice@example.com', 10.50, true, 1.5, '1990-01-02', '2024-01-01 10:00:00', "
            + "'2024-01-01 10:00:00+02', '{a,b}', '\\x00ff', 7),"
            + "(2, 'bob', null, 0, false, null, null, null, null, null, null, null),"
            + "(3, 'carol', 'carol@example.com', -3.25, true, -0.25, '2000-02-29', '2024-02-29 23:59:59.123456', "
            + "'2024-02-29 23:59:59.123456+00', '{}', '\\x', 9000000000)",
        "create table shop.accounts (id int primary key, owner text, amount numeric(12,2))",
        "create table shop.wallets (id int primary key, owner text, amount numeric(12,2))",
        "create table shop.metered (id int primary key, n int)",
        "create table shop.defaults (id int primary key, note text default 'dflt', n int default 7)",
        "create table shop.strict (id int primary key, amount numeric(10,2) not null,"
            + " ratio real not null, day date not null)",
        "insert into shop.defaults values (1, null, null), (2, default, default)");
    pipeline.startSource(
        "it-source",
        Map.of(
            "topic.prefix",
            "it",
            "schema.include.list",
            "shop",
            "slot.name",
            "it_slot",
            "publication.name",
            "it_publication"));
    pipeline.startSink(
        "it-sink", Map.of("topics.regex", "it\\.shop\\..*", "commit.interval.ms", "1000"));
  }

  @Test
  void snapshotThenInsertsUpdatesAndDeletesArriveRowForRow() throws Exception {
    TableSnapshot snapshotted =
        pipeline.awaitSameRows("shop.customers", "cdc.shop_customers", "id", CATCH_UP);
    assertEquals(3, snapshotted.rowsByKey.size());

    pipeline.sql(
        "insert into shop.customers values (4, 'dave', 'dave@example.com', 99.99, true, 2.0, '1985-07-04', "
            + "'2024-03-01 00:00:00', '2024-03-01 00:00:00-05', '{x}', '\\x0102', 1)",
        "update shop.customers set email = 'alice@new.example.com', balance = 11.00, tags = '{a,b,c}' where id = 1",
        "update shop.customers set name = 'bobby', score = 3.75 where id = 2",
        "delete from shop.customers where id = 3");
    TableSnapshot streamed =
        pipeline.awaitSameRows("shop.customers", "cdc.shop_customers", "id", CATCH_UP);
    assertEquals(Set.of("1", "2", "4"), streamed.rowsByKey.keySet());
    assertEquals("alice@new.example.com", streamed.rowsByKey.get("1").get("email"));
    assertEquals(0, streamed.duplicateKeys);
  }

  @Test
  void tableFilesLiveOnTheS3EndpointAndEveryCommitRecordsItsOffsets() throws Exception {
    pipeline.awaitSameRows("shop.customers", "cdc.shop_customers", "id", CATCH_UP);
    Table table = pipeline.table("cdc.shop_customers");
    assertTrue(table.location().startsWith("s3://floe-warehouse/"), table.location());

    Set<String> stored = new HashSet<>();
    try (S3Client s3 = pipeline.stack.s3().client()) {
      s3.listObjectsV2Paginator(b -> b.bucket("floe-warehouse")).contents().stream()
          .map(S3Object::key)
          .forEach(key -> stored.add("s3://floe-warehouse/" + key));
    }
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      for (FileScanTask task : tasks) {
        assertTrue(stored.contains(task.file().location()), task.file().location() + " not on S3");
        task.deletes()
            .forEach(d -> assertTrue(stored.contains(d.location()), d.location() + " not on S3"));
      }
    }
    table
        .snapshots()
        .forEach(
            snapshot -> {
              String offsets = snapshot.summary().get("floe.kafka.next-offsets");
              assertTrue(
                  offsets != null && offsets.startsWith("it.shop.customers/0="),
                  snapshot.summary().toString());
            });
  }

  @Test
  void connectorsComeFromThePluginArchivesNotTheTestClassPath() throws Exception {
    assertThrows(
        ClassNotFoundException.class, () -> Class.forName("dev.floe.sink.IcebergCdcSinkConnector"));
    assertThrows(
        ClassNotFoundException.class,
        () -> Class.forName("dev.floe.source.PostgresCdcSourceConnector"));
    Set<String> plugins = new HashSet<>();
    for (JsonNode plugin : pipeline.stack.worker().rest().get("connector-plugins")) {
      plugins.add(plugin.path("class").asText() + " " + plugin.path("version").asText());
    }
    assertTrue(
        plugins.contains("dev.floe.sink.IcebergCdcSinkConnector 0.1.0-SNAPSHOT"),
        plugins.toString());
    assertTrue(
        plugins.contains("dev.floe.source.PostgresCdcSourceConnector 0.1.0-SNAPSHOT"),
        plugins.toString());
  }

  @Test
  void aKeyChurnedWithinOneCommitIntervalEndsInItsLastState() throws Exception {
    // one transaction: every change reaches the sink together, inside one commit interval
    pipeline.sql(
        "begin",
        "insert into shop.accounts values (1, 'ann', 1.00)",
        "update shop.accounts set amount = 2.00 where id = 1",
        "delete from shop.accounts where id = 1",
        "insert into shop.accounts values (1, 'ann again', 3.00)",
        "update shop.accounts set owner = 'ann final' where id = 1",
        "insert into shop.accounts values (2, 'gone', 5.00)",
        "delete from shop.accounts where id = 2",
        "insert into shop.accounts values (3, 'mover', 7.00)",
        "update shop.accounts set id = 4 where id = 3",
        "commit");
    TableSnapshot result =
        pipeline.awaitSameRows("shop.accounts", "cdc.shop_accounts", "id", CATCH_UP);
    assertEquals(Set.of("1", "4"), result.rowsByKey.keySet());
    assertEquals("ann final", result.rowsByKey.get("1").get("owner"));
  }

  @Test
  void aKeyChurnedAcrossSeveralCommitsEndsInItsLastState() throws Exception {
    String[] steps = {
      "insert into shop.wallets values (10, 'zed', 1.00)",
      "update shop.wallets set amount = 20.00 where id = 10",
      "delete from shop.wallets where id = 10",
      "insert into shop.wallets values (10, 'zed returns', 30.00)",
      "update shop.wallets set id = 11 where id = 10",
      "update shop.wallets set id = 10, owner = 'zed home' where id = 11"
    };
    Table table = null;
    for (String step : steps) {
      pipeline.sql(step);
      pipeline.awaitSameRows("shop.wallets", "cdc.shop_wallets", "id", CATCH_UP);
      table = pipeline.table("cdc.shop_wallets");
    }
    TableSnapshot result =
        pipeline.awaitSameRows("shop.wallets", "cdc.shop_wallets", "id", CATCH_UP);
    assertEquals("zed home", result.rowsByKey.get("10").get("owner"));
    assertFalse(result.rowsByKey.containsKey("11"));
    assertTrue(
        table.snapshots().spliterator().estimateSize() >= steps.length,
        "each step was its own commit");
  }

  @Test
  void aKeyOnlyDeleteOfNotNullConvertedColumnsKeepsTheSourceRunning() throws Exception {
    // numeric, real and date go through Floe's converter; a delete without REPLICA IDENTITY FULL
    // carries only the key, so the NOT NULL columns have no value in its before-image
    pipeline.sql(
        "insert into shop.strict select g, g * 1.5, g / 4.0, date '2024-01-01' + g"
            + " from generate_series(1, 5) g",
        "delete from shop.strict where id = 2",
        "update shop.strict set amount = 0.01 where id = 3");
    TableSnapshot rows = pipeline.awaitSameRows("shop.strict", "cdc.shop_strict", "id", CATCH_UP);
    assertEquals(Set.of("1", "3", "4", "5"), rows.rowsByKey.keySet());
    assertEquals(
        "RUNNING",
        pipeline
            .stack
            .worker()
            .rest()
            .get("connectors/it-source/status")
            .path("tasks")
            .get(0)
            .path("state")
            .asText());
  }

  @Test
  void anExplicitNullStaysNullNotTheColumnsDefault() throws Exception {
    pipeline.sql(
        "insert into shop.defaults values (3, null, null), (4, default, default)",
        "update shop.defaults set note = null where id = 4");
    TableSnapshot rows =
        pipeline.awaitSameRows("shop.defaults", "cdc.shop_defaults", "id", CATCH_UP);
    assertEquals("null", String.valueOf(rows.rowsByKey.get("1").get("note")), "snapshot path");
    assertEquals("null", String.valueOf(rows.rowsByKey.get("3").get("n")), "WAL path");
    assertEquals("7", rows.rowsByKey.get("4").get("n"));
  }

  @Test
  void theSinkReportsWhatItAppliedOverJmx() throws Exception {
    pipeline.sql(
        "insert into shop.metered select g, g from generate_series(1, 10) g",
        "update shop.metered set n = -n where id <= 5",
        "delete from shop.metered where id > 8");
    pipeline.awaitSameRows("shop.metered", "cdc.shop_metered", "id", CATCH_UP);
    // the task's plugin metrics (KIP-877), from the worker running in this JVM
    ObjectName table =
        new ObjectName("kafka.connect:type=plugins,connector=it-sink,table=cdc.shop_metered,*");
    MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
    Waits.until(
        Duration.ofSeconds(30),
        "19 change events (10 inserts, 5 updates, 2 deletes and their 2 tombstones) counted",
        () -> sum(jmx, table, "change-events-applied-total") == 19.0,
        () -> "counted " + sum(jmx, table, "change-events-applied-total"));
    assertTrue(sum(jmx, table, "commits-total") >= 1);
    assertTrue(sum(jmx, table, "data-files-committed-total") >= 1);
    ObjectName task = new ObjectName("kafka.connect:type=plugins,connector=it-sink,task=0");
    assertEquals(
        0L,
        jmx.getAttribute(task, "dead-letter-records-total") instanceof Double d
            ? d.longValue()
            : -1L);
    for (ObjectName name : jmx.queryNames(table, null)) {
      long latency = (Long) jmx.getAttribute(name, "commit-latency-ms");
      assertTrue(latency >= 0 && latency < 120_000, "commit latency " + latency);
      assertTrue((Long) jmx.getAttribute(name, "last-commit-age-ms") >= 0);
    }
  }

  private static double sum(MBeanServer jmx, ObjectName pattern, String attribute)
      throws Exception {
    double total = 0;
    for (ObjectName name : jmx.queryNames(pattern, null)) {
      total += (Double) jmx.getAttribute(name, attribute);
    }
    return total;
  }

  @Test
  void validationThroughRestNamesTheKeyToFix() throws Exception {
    Map<String, String> config =
        pipeline.stack.sinkConfig(PipelineHarness.example("iceberg-sink.json"));
    config.put("iceberg.catalog.uri", "jdbc:postgresql://127.0.0.1:1/nowhere");
    Map<String, String> errors = pipeline.validate("IcebergCdcSinkConnector", config);
    assertTrue(errors.containsKey("iceberg.catalog.uri"), errors.toString());
    assertTrue(
        errors.get("iceberg.catalog.uri").contains("Cannot open the Iceberg catalog"),
        errors.toString());

    config.remove("iceberg.catalog.type");
    errors = pipeline.validate("IcebergCdcSinkConnector", config);
    assertTrue(
        errors.get("iceberg.catalog.type").contains("iceberg.catalog.type"), errors.toString());

    // the JsonConverter's default would write a column's DEFAULT where Postgres holds NULL
    config = pipeline.stack.sinkConfig(PipelineHarness.example("iceberg-sink.json"));
    config.remove("value.converter.replace.null.with.default");
    errors = pipeline.validate("IcebergCdcSinkConnector", config);
    assertTrue(
        errors
            .getOrDefault("value.converter.replace.null.with.default", "")
            .contains("replace.null.with.default=false"),
        errors.toString());

    config = pipeline.stack.sinkConfig(PipelineHarness.example("iceberg-sink.json"));
    config.put("commit.interval.ms", "10");
    errors = pipeline.validate("IcebergCdcSinkConnector", config);
    assertTrue(errors.containsKey("commit.interval.ms"), errors.toString());
    assertEquals(
        Map.of(),
        pipeline.validate(
            "IcebergCdcSinkConnector",
            pipeline.stack.sinkConfig(PipelineHarness.example("iceberg-sink.json"))));
  }
}
