package dev.floe.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.floe.local.ConnectRestClient;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The source on a live database, as an operator meets it: heartbeats keep the slot of an idle
 * database from holding the WAL another database writes (a slot without the heartbeat's published
 * change does hold it), the slot's health shows as plugin metrics over JMX, a table added to the
 * include list later arrives with its existing rows through an incremental snapshot, and a slot
 * dropped behind the connector's back fails it loudly instead of being silently recreated.
 */
class SourceRuntimeIT extends PipelineTestBase {
  private static final Duration CATCH_UP = Duration.ofSeconds(120);
  private static final long MB = 1024 * 1024;

  @BeforeAll
  static void startPipeline() throws Exception {
    pipeline = PipelineHarness.start(); // the worker runs in this JVM: its MBeans are ours to read
  }

  @Test
  void heartbeatsKeepAnIdleDatabasesSlotFromHoldingOtherDatabasesWal() throws Exception {
    pipeline.sql(
        "create schema idle",
        "create table idle.quiet (id int primary key, note text)",
        "insert into idle.quiet select g, 'n' || g from generate_series(1, 10) g",
        "create database busy");
    Map<String, String> source = new HashMap<>();
    source.put("topic.prefix", "hb");
    source.put("schema.include.list", "idle");
    source.put("heartbeat.interval.ms", "1000");
    source.put("floe.slot.health.interval.ms", "1000");
    source.put("slot.name", "hb_slot");
    source.put("publication.name", "hb_publication");
    pipeline.startSource("hb-source", source);
    // the same heartbeats, but their query changes no published table
    source.putAll(
        Map.of(
            "topic.prefix", "plain",
            "heartbeat.action.query", "SELECT 1",
            "slot.name", "plain_slot",
            "publication.name", "plain_publication"));
    pipeline.startSource("plain-source", source);
    awaitLagBelow("hb_slot", MB);

    try (Connection busy = busyDatabase();
        Statement st = busy.createStatement()) {
      st.execute("create table churn (id bigint, pad text)");
      for (int batch = 0; batch < 8; batch++) {
        st.execute("insert into churn select g, repeat('x', 200) from generate_series(1, 25000) g");
      }
    }
    assertTrue(lag("plain_slot") > 20 * MB, "the other database wrote WAL: " + lag("plain_slot"));
    // a heartbeat after the writes is a published change past them: the slot confirms it
    awaitLagBelow("hb_slot", MB);
    assertTrue(
        lag("plain_slot") > 20 * MB,
        "without a published change the idle slot holds the WAL: " + lag("plain_slot"));

    MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
    ObjectName name = new ObjectName("kafka.connect:type=plugins,connector=hb-source");
    Waits.until(
        Duration.ofSeconds(60),
        "slot metrics of hb-source",
        () ->
            mbeans.isRegistered(name)
                && ((Number) mbeans.getAttribute(name, "slot-active")).intValue() == 1
                && ((Number) mbeans.getAttribute(name, "slot-retained-wal-bytes")).longValue() >= 0,
        () -> String.valueOf(mbeans.queryNames(new ObjectName("kafka.connect:*"), null)));
    long age = ((Number) mbeans.getAttribute(name, "slot-confirmed-flush-age-seconds")).longValue();
    assertTrue(age >= 0 && age < 60, "the heartbeats move the confirmed flush: " + age);
    Waits.until(
        Duration.ofSeconds(60),
        "hb-source's lag metric to show the confirmed heartbeat",
        () -> {
          long lag = ((Number) mbeans.getAttribute(name, "slot-confirmed-lag-bytes")).longValue();
          return lag >= 0 && lag < MB;
        },
        () -> String.valueOf(mbeans.getAttribute(name, "slot-confirmed-lag-bytes")));
    ObjectName plain = new ObjectName("kafka.connect:type=plugins,connector=plain-source");
    Waits.until(
        Duration.ofSeconds(60),
        "plain-source's retained WAL metric to show the held WAL",
        () ->
            ((Number) mbeans.getAttribute(plain, "slot-retained-wal-bytes")).longValue() > 20 * MB,
        () -> String.valueOf(mbeans.getAttribute(plain, "slot-retained-wal-bytes")));
    delete("hb-source");
    delete("plain-source");
  }

  @Test
  void aTableAddedToTheIncludeListLaterArrivesWithItsExistingRows() throws Exception {
    pipeline.sql(
        "create schema inc",
        "create table inc.first (id int primary key, name text)",
        "insert into inc.first select g, 'f' || g from generate_series(1, 50) g",
        "create table inc.later (id int primary key, name text, amount numeric(10,2))",
        "insert into inc.later select g, 'l' || g, g * 0.5 from generate_series(1, 3000) g");
    Map<String, String> source = new HashMap<>();
    source.put("topic.prefix", "inc");
    source.put("schema.include.list", "inc");
    source.put("table.include.list", "inc\\.first");
    source.put("slot.name", "inc_slot");
    source.put("publication.name", "inc_publication");
    pipeline.startSource("inc-source", source);
    pipeline.startSink(
        "inc-sink", Map.of("topics.regex", "inc\\.inc\\..*", "commit.interval.ms", "1000"));
    pipeline.awaitSameRows("inc.first", "cdc.inc_first", "id", CATCH_UP);
    long firstEvents = TopicRecords.count(bootstrap(), "inc.inc.first");

    // as docs/source-operations.md says: widen the include list, then signal the new table
    source.put("table.include.list", "inc\\.first,inc\\.later");
    pipeline
        .stack
        .worker()
        .rest()
        .putConnector("inc-source", pipeline.stack.sourceConfig(withExample(source)));
    // the restarted task adds the table to the publication it keeps filtered
    Waits.until(
        Duration.ofSeconds(90),
        "inc.later in inc_publication",
        () ->
            count(
                    "select count(*) from pg_publication_tables where pubname = 'inc_publication'"
                        + " and schemaname = 'inc' and tablename = 'later'")
                == 1,
        () -> "not yet");
    pipeline.awaitRunning("inc-source");
    pipeline.sql(
        "insert into floe.floe_signal (id, type, data) values ('add-inc-later', 'execute-snapshot',"
            + " '{\"data-collections\": [\"inc.later\"], \"type\": \"incremental\"}')");
    // changes made while the incremental snapshot runs: the seam must lose and double nothing
    for (int i = 0; i < 20; i++) {
      pipeline.sql(
          "update inc.later set amount = amount + 1 where id % 20 = " + i,
          "delete from inc.later where id = " + (100 + i * 7),
          "insert into inc.later values (" + (5000 + i) + ", 'new', 1)",
          "update inc.first set name = 'changed' where id = " + (i + 1));
    }
    TableSnapshot later = pipeline.awaitSameRows("inc.later", "cdc.inc_later", "id", CATCH_UP);
    assertEquals(3000, later.rowsByKey.size()); // 20 deleted, 20 inserted
    assertEquals(0, later.duplicateKeys);
    pipeline.awaitSameRows("inc.first", "cdc.inc_first", "id", CATCH_UP);
    assertEquals(
        firstEvents + 20,
        TopicRecords.count(bootstrap(), "inc.inc.first"),
        "the table captured from the start was not snapshotted again");
    delete("inc-sink");
    delete("inc-source");
  }

  /**
   * A migration creates a table in a captured schema while the connector runs: its filtered
   * publication does not hold it, so Postgres would send nothing of it until a restart, and a
   * restart would add it without the rows written until then. The connector adds it to the
   * publication and signals an incremental snapshot itself; rows written before, during and after
   * arrive once each.
   */
  @Test
  void aTableCreatedWhileTheConnectorRunsIsCapturedWithItsEarlierRows() throws Exception {
    pipeline.sql(
        "create schema mig",
        "create table mig.orders (id int primary key, note text)",
        "insert into mig.orders values (1, 'first')");
    Map<String, String> source = new HashMap<>();
    source.put("topic.prefix", "mig");
    source.put("schema.include.list", "mig");
    source.put("slot.name", "mig_slot");
    source.put("publication.name", "mig_publication");
    source.put("floe.new-tables.interval.ms", "1000");
    pipeline.startSource("mig-source", source);
    pipeline.startSink(
        "mig-sink", Map.of("topics.regex", "mig\\.mig\\..*", "commit.interval.ms", "1000"));
    pipeline.awaitSameRows("mig.orders", "cdc.mig_orders", "id", CATCH_UP);

    pipeline.sql(
        // a generated column: left out of its snapshot as Postgres leaves it out of the WAL
        "create table mig.refunds (id int primary key, order_id int, amount numeric(10,2),"
            + " cents bigint generated always as ((amount * 100)::bigint) stored)",
        "insert into mig.refunds select g, g % 7, g * 0.25 from generate_series(1, 2000) g",
        "create table mig.\"AuditLog\" (id bigint primary key, what text)",
        "insert into mig.\"AuditLog\" values (1, 'created')",
        // no primary key: published, Postgres would refuse the application's updates and deletes
        "create table mig.visits (id int, page text)",
        "insert into mig.visits select g, 'page ' || g from generate_series(1, 50) g");
    // changes while the connector finds the tables and the snapshot reads them
    for (int i = 0; i < 20; i++) {
      pipeline.sql(
          "update mig.refunds set amount = amount + 1 where id % 20 = " + i,
          "delete from mig.refunds where id = " + (100 + i * 7),
          "insert into mig.refunds values (" + (5000 + i) + ", 1, 1)",
          "insert into mig.\"AuditLog\" values (" + (10 + i) + ", 'step " + i + "')");
      Thread.sleep(100);
    }
    TableSnapshot refunds =
        pipeline.awaitSameColumns(
            "mig.refunds", "cdc.mig_refunds", "id", CATCH_UP, "id", "order_id", "amount");
    assertFalse(
        pipeline.table("cdc.mig_refunds").schema().columns().stream()
            .anyMatch(column -> column.name().equals("cents")),
        "the generated column is left out");
    assertEquals(2000, refunds.rowsByKey.size()); // 20 deleted, 20 inserted
    assertEquals(0, refunds.duplicateKeys);
    pipeline.awaitSameRows("mig.\"AuditLog\"", "cdc.mig_AuditLog", "id", CATCH_UP);

    // the keyless table stayed out of the publication: the application's statements still work
    pipeline.sql(
        "update mig.visits set page = 'seen' where id <= 10",
        "delete from mig.visits where id = 50");
    try (Connection c = pipeline.postgres();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "select count(*) from pg_publication_tables where pubname = 'mig_publication'"
                    + " and tablename = 'visits'")) {
      rs.next();
      assertEquals(0, rs.getInt(1), "a table without replica identity is not published");
    }
    // with a primary key it is captured at the next look, its earlier rows too
    pipeline.sql(
        "alter table mig.visits add primary key (id)", "insert into mig.visits values (51, 'new')");
    TableSnapshot visits = pipeline.awaitSameRows("mig.visits", "cdc.mig_visits", "id", CATCH_UP);
    assertEquals(50, visits.rowsByKey.size());
    assertEquals("seen", visits.rowsByKey.get("1").get("page"));
    delete("mig-sink");
    delete("mig-source");
  }

  @Test
  void aSlotDroppedBehindTheConnectorsBackFailsItLoudly() throws Exception {
    pipeline.sql(
        "create schema loss",
        "create table loss.items (id int primary key)",
        "insert into loss.items select generate_series(1, 10)");
    pipeline.startSource(
        "loss-source",
        Map.of(
            "topic.prefix",
            "loss",
            "schema.include.list",
            "loss",
            "slot.name",
            "loss_slot",
            "publication.name",
            "loss_publication"));
    ConnectRestClient rest = pipeline.stack.worker().rest();
    Waits.until(
        Duration.ofSeconds(60),
        "loss-source to commit offsets",
        () -> rest.get("connectors/loss-source/offsets").path("offsets").size() > 0,
        () -> String.valueOf(rest.get("connectors/loss-source/offsets")));
    rest.put("connectors/loss-source/stop", Map.of());
    Waits.until(
        Duration.ofSeconds(60),
        "loss_slot to be released and dropped",
        () -> {
          pipeline.sql(
              "select pg_drop_replication_slot(slot_name) from pg_replication_slots"
                  + " where slot_name = 'loss_slot' and not active");
          return !slotExists("loss_slot");
        },
        () -> "still there");
    pipeline.sql("insert into loss.items values (11)"); // a change no new slot would ever see
    rest.put("connectors/loss-source/resume", Map.of());
    JsonNode[] status = new JsonNode[1];
    Waits.until(
        Duration.ofSeconds(90),
        "loss-source's task to fail",
        () -> {
          status[0] = rest.status("loss-source");
          JsonNode task = status[0].path("tasks").path(0);
          return "FAILED".equals(task.path("state").asText());
        },
        () -> String.valueOf(status[0]));
    String trace = status[0].path("tasks").path(0).path("trace").asText();
    assertTrue(trace.contains("Replication slot 'loss_slot' does not exist"), trace);
    assertTrue(trace.contains("DELETE /connectors/<name>/offsets"), trace);
    assertFalse(slotExists("loss_slot"), "no new slot was created to stream past the loss");
    delete("loss-source");
  }

  @Test
  void aSlotDroppedWhileStreamingFailsTheConnectorInsteadOfBeingRecreated() throws Exception {
    pipeline.sql(
        "create schema gone",
        "create table gone.items (id int primary key)",
        "insert into gone.items select generate_series(1, 10)");
    pipeline.startSource(
        "gone-source",
        Map.of(
            "topic.prefix", "gone",
            "schema.include.list", "gone",
            "slot.name", "gone_slot",
            "publication.name", "gone_publication",
            "floe.slot.health.interval.ms", "1000"));
    ConnectRestClient rest = pipeline.stack.worker().rest();
    Waits.until(
        Duration.ofSeconds(60),
        "gone-source to commit offsets",
        () -> rest.get("connectors/gone-source/offsets").path("offsets").size() > 0,
        () -> String.valueOf(rest.get("connectors/gone-source/offsets")));
    // what a careless DBA or a failover does: the walsender is cut off and the slot dropped
    Waits.until(
        Duration.ofSeconds(60),
        "gone_slot to be dropped under the running connector",
        () -> {
          pipeline.sql(
              "select pg_terminate_backend(active_pid) from pg_replication_slots"
                  + " where slot_name = 'gone_slot' and active",
              "select pg_drop_replication_slot(slot_name) from pg_replication_slots"
                  + " where slot_name = 'gone_slot' and not active");
          return !slotExists("gone_slot");
        },
        () -> "still there");
    JsonNode[] status = new JsonNode[1];
    Waits.until(
        Duration.ofSeconds(90),
        "gone-source's task to fail when Debezium restarts it, naming its slot",
        () -> {
          status[0] = rest.status("gone-source");
          JsonNode task = status[0].path("tasks").path(0);
          return "FAILED".equals(task.path("state").asText())
              && task.path("trace").asText().contains("Replication slot 'gone_slot'");
        },
        () -> String.valueOf(status[0]));
    assertEquals("FAILED", status[0].path("connector").path("state").asText(), "the slot watch");
    assertFalse(slotExists("gone_slot"), "no new slot streams past the loss: " + status[0]);
    delete("gone-source");
  }

  private static Map<String, String> withExample(Map<String, String> overrides) throws Exception {
    Map<String, String> config = PipelineHarness.example("postgres-source.json");
    config.putAll(overrides);
    return config;
  }

  private static void delete(String connector) throws Exception {
    pipeline.stack.worker().rest().delete("connectors/" + connector);
  }

  private static String bootstrap() {
    return pipeline.stack.kafka().bootstrapServers();
  }

  private static Connection busyDatabase() throws Exception {
    String url = pipeline.stack.source().jdbcUrl().replaceAll("/[^/]+$", "/busy");
    return DriverManager.getConnection(
        url, pipeline.stack.source().user(), pipeline.stack.source().password());
  }

  private static boolean slotExists(String slot) throws Exception {
    return count("select count(*) from pg_replication_slots where slot_name = '" + slot + "'") > 0;
  }

  private static long count(String query) throws Exception {
    try (Connection c = pipeline.postgres();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(query)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** The WAL written since the slot's confirmed flush position, in bytes. */
  private static long lag(String slot) throws Exception {
    try (Connection c = pipeline.postgres();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "select pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint"
                    + " from pg_replication_slots where slot_name = '"
                    + slot
                    + "'")) {
      return rs.next() ? rs.getLong(1) : -1;
    }
  }

  private static void awaitLagBelow(String slot, long bytes) throws Exception {
    Waits.until(
        Duration.ofSeconds(90),
        slot + " confirming within " + bytes + " bytes of the WAL's end",
        () -> {
          long lag = lag(slot);
          return lag >= 0 && lag < bytes;
        },
        () -> "lag " + lag(slot));
  }
}
