package dev.floe.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.floe.local.ConnectRestClient;
import dev.floe.local.FreePorts;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What {@code PUT /connector-plugins/PostgresCdcSourceConnector/config/validate} tells a person
 * about a database that is not ready, one misconfiguration at a time, each on the key to change and
 * never with the password; and a start refused when the database changed after validation.
 */
class SourcePreflightIT extends PipelineTestBase {
  private static final String PLUGIN = "PostgresCdcSourceConnector";
  private static final String PASSWORD = "Pf7-x!qZ-distinctive-secret";
  private static final String WRONG_PASSWORD = "Wr0ng-9k!-not-the-password";

  @BeforeAll
  static void startPipeline() throws Exception {
    pipeline = PipelineHarness.start();
    try (Connection c = pipeline.postgres()) {
      PasswordLogins.require(c);
    }
    pipeline.sql(
        "create schema pf",
        "create table pf.orders (id int primary key, note text)",
        "create table pf.flags (id int primary key, note text, bits boolean[])",
        "create table pf.keyless (id int, qty int)",
        "create table pf.x_y (id int primary key)",
        "create schema pf_x",
        "create table pf_x.y (id int primary key)",
        "create table pf.secret (id int primary key, qty int)",
        "create role pf_reader login replication password '" + PASSWORD + "'",
        "create role pf_plain login password '" + PASSWORD + "'",
        "grant usage on schema pf to pf_reader, pf_plain",
        "grant select on pf.orders to pf_reader, pf_plain",
        "create publication pf_publication for table pf.orders, pf.secret");
  }

  @Test
  void aReadyDatabasePassesAsSuperuserAndAsAnOrdinaryRole() throws Exception {
    assertEquals(Map.of(), validate(config("pf.orders")));
    assertEquals(Map.of(), validate(asRole("pf_reader", PASSWORD, "pf.orders")));
  }

  @Test
  void aWrongPasswordIsPinnedOnThePasswordAndNeverShown() throws Exception {
    Map<String, String> errors = validate(asRole("pf_reader", WRONG_PASSWORD, "pf.orders"));
    assertEquals(1, errors.size(), errors.toString());
    assertTrue(errors.get("database.password").contains("pf_reader"), errors.toString());
  }

  @Test
  void anUnreachableServerIsPinnedOnTheHost() throws Exception {
    Map<String, String> config = config("pf.orders");
    config.put("database.port", String.valueOf(FreePorts.pick()));
    Map<String, String> errors = validate(config);
    assertEquals(1, errors.size(), errors.toString());
    assertTrue(errors.get("database.hostname").contains("Cannot connect"), errors.toString());
  }

  @Test
  void aServerWithoutLogicalDecodingOrReplicationRoomIsRefused() throws Exception {
    Path dir = Path.of("target", "it-data", "replica-" + UUID.randomUUID());
    try (EmbeddedPostgres replica =
        EmbeddedPostgres.builder()
            .setOverrideWorkingDirectory(Path.of("target", "pg-binaries").toFile())
            .setDataDirectory(dir)
            .setServerConfig("wal_level", "replica")
            .setServerConfig("max_replication_slots", "0")
            .setServerConfig("max_wal_senders", "0")
            .setServerConfig("listen_addresses", "127.0.0.1")
            .start()) {
      try (Connection c = replica.getPostgresDatabase().getConnection();
          Statement st = c.createStatement()) {
        st.execute("create schema pf");
        st.execute("create table pf.orders (id int primary key, note text)");
      }
      Map<String, String> config = config("pf.orders");
      config.put("database.port", String.valueOf(replica.getPort()));
      config.put("database.dbname", "postgres");
      config.put("database.password", PASSWORD);
      Map<String, String> errors = validate(config);
      assertTrue(errors.get("database.hostname").contains("wal_level=replica"), errors.toString());
      assertTrue(
          errors.get("database.hostname").contains("ALTER SYSTEM SET wal_level = logical"),
          errors.toString());
      assertTrue(errors.get("database.hostname").contains("max_wal_senders=0"), errors.toString());
      assertTrue(errors.get("slot.name").contains("max_replication_slots=0"), errors.toString());
    }
  }

  @Test
  void aTableWithoutPrimaryKeyIsNamedWithItsFix() throws Exception {
    Map<String, String> errors = validate(config("pf.orders,pf.keyless"));
    assertEquals(1, errors.size(), errors.toString());
    String message = errors.get("table.include.list");
    assertTrue(message.contains("pf.keyless"), message);
    assertTrue(message.contains("ALTER TABLE pf.keyless REPLICA IDENTITY FULL;"), message);
    assertFalse(message.contains("pf.orders"), message);
  }

  /** Topics pf.pf.x_y and pf.pf_x.y: Kafka would refuse the second, failing the task. */
  @Test
  void tablesWhoseTopicsKafkaTakesForOneAreRefusedBeforeTheStart() throws Exception {
    Map<String, String> config = config("pf.x_y,pf_x.y");
    config.put("schema.include.list", "pf,pf_x");
    Map<String, String> errors = validate(config);
    assertEquals(1, errors.size(), errors.toString());
    String message = errors.get("table.include.list");
    assertTrue(
        message.contains("Tables pf.x_y and pf_x.y would have topics pf.pf.x_y and pf.pf_x.y"),
        message);
    assertTrue(message.contains("table.exclude.list"), message);
    assertEquals(Map.of(), validate(config("pf.x_y")));
  }

  @Test
  void anUnknownTableIsNamed() throws Exception {
    Map<String, String> errors = validate(config("pf.orders,pf.nosuch"));
    assertEquals(1, errors.size(), errors.toString());
    assertTrue(errors.get("table.include.list").contains("'pf.nosuch'"), errors.toString());
  }

  @Test
  void aTableTheRoleCannotReadNamesTheGrant() throws Exception {
    Map<String, String> errors = validate(asRole("pf_reader", PASSWORD, "pf.orders,pf.secret"));
    assertTrue(
        errors.get("database.user").contains("GRANT SELECT ON pf.secret TO pf_reader;"),
        errors.toString());
  }

  @Test
  void aRoleWithoutReplicationNamesTheAlterRole() throws Exception {
    Map<String, String> errors = validate(asRole("pf_plain", PASSWORD, "pf.orders"));
    assertEquals(1, errors.size(), errors.toString());
    assertTrue(
        errors.get("database.user").contains("ALTER ROLE pf_plain REPLICATION;"),
        errors.toString());
  }

  @Test
  void aRoleThatCannotCreateThePublicationIsToldToHaveItPrecreated() throws Exception {
    Map<String, String> config = asRole("pf_reader", PASSWORD, "pf.orders");
    config.put("publication.autocreate.mode", "filtered");
    config.put("publication.name", "pf_new");
    Map<String, String> errors = validate(config);
    assertEquals(1, errors.size(), errors.toString());
    assertTrue(
        errors
            .get("publication.autocreate.mode")
            .contains("CREATE PUBLICATION pf_new FOR TABLE pf.orders;"),
        errors.toString());
  }

  @Test
  void toastColumnsWhoseUnchangedValuesArriveAsNullBlockOnlyWhenAsked() throws Exception {
    Map<String, String> config = config("pf.orders,pf.flags");
    config.put("floe.preflight.toast", "fail");
    Map<String, String> errors = validate(config);
    // text is filled in by the sink; a boolean array's unchanged value arrives as a plain null
    assertEquals(Set.of("table.include.list"), errors.keySet(), errors.toString());
    assertTrue(
        errors.get("table.include.list").contains("ALTER TABLE pf.flags REPLICA IDENTITY FULL;"),
        errors.toString());
    assertFalse(errors.get("table.include.list").contains("pf.orders"), errors.toString());
  }

  @Test
  void floesOwnKeysAreValidatedAndThePreflightCanBeTurnedOff() throws Exception {
    Map<String, String> config = config("pf.orders,pf.keyless");
    config.put("floe.preflight.toast", "sometimes");
    assertTrue(
        validate(config).containsKey("floe.preflight.toast"), "Floe's keys reach the REST API");
    config.put("floe.preflight.toast", "warn");
    config.put("floe.preflight.enabled", "false");
    assertEquals(Map.of(), validate(config));
  }

  @Test
  void aStartAfterTheDatabaseChangedIsRefusedWithTheProblem() throws Exception {
    pipeline.sql("create table pf.later (id int primary key, qty int)");
    Map<String, String> config = config("pf.later");
    config.put("slot.name", "pf_later_slot");
    config.put("publication.name", "pf_later_publication");
    pipeline.stack.worker().rest().putConnector("pf-later", config);
    pipeline.awaitRunning("pf-later");
    ConnectRestClient rest = pipeline.stack.worker().rest();
    rest.put("connectors/pf-later/stop", Map.of());
    Waits.until(
        Duration.ofSeconds(60),
        "pf-later stopped",
        () -> "STOPPED".equals(state(rest)),
        () -> String.valueOf(rest.status("pf-later")));
    pipeline.sql("alter table pf.later drop constraint later_pkey");
    rest.put("connectors/pf-later/resume", Map.of());
    Waits.until(
        Duration.ofSeconds(60),
        "pf-later failed",
        () -> "FAILED".equals(state(rest)),
        () -> String.valueOf(rest.status("pf-later")));
    String trace = rest.status("pf-later").path("connector").path("trace").asText();
    assertTrue(trace.contains("table.include.list: Table pf.later has no primary key"), trace);
    rest.delete("connectors/pf-later");
  }

  private static String state(ConnectRestClient rest) throws Exception {
    JsonNode status = rest.status("pf-later");
    return status == null ? null : status.path("connector").path("state").asText();
  }

  /** Validates over REST; no message may carry either password. */
  private static Map<String, String> validate(Map<String, String> config) throws Exception {
    Map<String, String> errors = pipeline.validate(PLUGIN, config);
    errors.forEach(
        (key, message) -> {
          assertFalse(message.contains(PASSWORD), key + " shows the password: " + message);
          assertFalse(message.contains(WRONG_PASSWORD), key + " shows the password: " + message);
        });
    return errors;
  }

  private static Map<String, String> config(String tables) throws Exception {
    Map<String, String> config =
        new HashMap<>(pipeline.stack.sourceConfig(PipelineHarness.example("postgres-source.json")));
    config.put("topic.prefix", "pf");
    config.put("schema.include.list", "pf");
    config.put("table.include.list", tables);
    config.put("slot.name", "pf_slot");
    config.put("publication.name", "pf_publication");
    return config;
  }

  private static Map<String, String> asRole(String role, String password, String tables)
      throws Exception {
    Map<String, String> config = config(tables);
    config.put("database.user", role);
    config.put("database.password", password);
    config.put("publication.autocreate.mode", "disabled");
    return config;
  }
}
