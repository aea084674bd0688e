package dev.floe.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The source runs as the non-superuser role docs/source-privileges.md creates, with the SQL read
 * from that file (so the doc and the test cannot drift): its config validates clean, the snapshot
 * and the streamed inserts, updates and deletes reach Iceberg, and Postgres shows that role on the
 * replication connection.
 */
class LeastPrivilegeSourceIT extends PipelineTestBase {
  private static final Path DOC = Path.of("..", "docs", "source-privileges.md");
  private static final String MARKER = "<!-- LeastPrivilegeSourceIT runs the next block";
  private static final Duration CATCH_UP = Duration.ofSeconds(120);

  @BeforeAll
  static void startPipeline() throws Exception {
    pipeline = PipelineHarness.start();
    try (Connection c = pipeline.postgres()) {
      PasswordLogins.require(c);
    }
  }

  @Test
  void theDocumentedRoleRunsTheSource() throws Exception {
    pipeline.sql(
        "create schema shop",
        "create table shop.customers (id int primary key, name text not null)",
        "create table shop.orders (id bigint primary key, customer_id int, amount numeric(10,2))",
        "insert into shop.customers select g, 'customer ' || g from generate_series(1, 20) g",
        "insert into shop.orders select g, g % 20 + 1, g * 1.5 from generate_series(1, 100) g");
    pipeline.sql(documentedSql().toArray(String[]::new));

    Map<String, String> role =
        Map.of(
            "database.user", "floe_source",
            "database.password", "change-me",
            "schema.include.list", "shop",
            "table.include.list", "shop.customers,shop.orders",
            "publication.name", "floe_publication",
            "publication.autocreate.mode", "disabled",
            "slot.name", "lp_slot",
            "topic.prefix", "lp");
    Map<String, String> config =
        pipeline.stack.sourceConfig(PipelineHarness.example("postgres-source.json"));
    config.putAll(role);
    assertEquals(Map.of(), pipeline.validate("PostgresCdcSourceConnector", config));

    pipeline.startSource("lp-source", role);
    pipeline.startSink(
        "lp-sink", Map.of("topics.regex", "lp\\.shop\\..*", "commit.interval.ms", "1000"));
    pipeline.sql(
        "insert into shop.orders select g, g % 20 + 1, g * 2.5 from generate_series(101, 120) g",
        "update shop.orders set amount = amount + 1000 where id % 10 = 0",
        "delete from shop.orders where id % 7 = 0",
        "update shop.customers set name = 'renamed' where id = 3",
        "delete from shop.customers where id = 4");
    TableSnapshot orders = pipeline.awaitSameRows("shop.orders", "cdc.shop_orders", "id", CATCH_UP);
    TableSnapshot customers =
        pipeline.awaitSameRows("shop.customers", "cdc.shop_customers", "id", CATCH_UP);
    assertEquals(120 - 120 / 7, orders.rowsByKey.size());
    assertEquals("renamed", customers.rowsByKey.get("3").get("name"));
    assertFalse(customers.rowsByKey.containsKey("4"));
    assertEquals("floe_source", replicationUser("lp_slot"));
    // the heartbeat (every 10 s) writes Floe's control table with the role's grants
    Waits.until(
        Duration.ofSeconds(60),
        "a heartbeat row written by floe_source",
        () -> {
          try (Connection c = pipeline.postgres();
              Statement st = c.createStatement();
              ResultSet rs = st.executeQuery("select count(*) from floe.floe_heartbeat")) {
            return rs.next() && rs.getInt(1) == 1;
          }
        },
        () -> "no heartbeat row");
  }

  /** The role on the connection that streams from {@code slot}. */
  private static String replicationUser(String slot) throws Exception {
    try (Connection c = pipeline.postgres();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "select a.usename from pg_replication_slots s"
                    + " join pg_stat_activity a on a.pid = s.active_pid"
                    + " where s.slot_name = '"
                    + slot
                    + "'")) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  /** The statements of the SQL block the doc marks as the one this test runs. */
  private static List<String> documentedSql() throws Exception {
    String doc = Files.readString(DOC);
    int marker = doc.indexOf(MARKER);
    assertTrue(marker >= 0, "no tested SQL block in " + DOC);
    int start = doc.indexOf("```sql\n", marker) + "```sql\n".length();
    String block = doc.substring(start, doc.indexOf("```", start));
    List<String> statements = new ArrayList<>();
    for (String statement : block.split(";\\s*\n")) {
      if (!statement.isBlank()) {
        statements.add(statement.trim());
      }
    }
    assertTrue(
        statements.get(0).startsWith("CREATE ROLE")
            && statements.get(statements.size() - 1).startsWith("CREATE PUBLICATION"),
        block);
    return statements;
  }
}
