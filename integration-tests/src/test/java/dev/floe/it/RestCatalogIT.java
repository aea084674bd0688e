package dev.floe.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.floe.local.ConnectorJson;
import dev.floe.local.RestCatalogServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.iceberg.rest.RESTCatalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The REST-catalog example (config-examples/rest-catalog/iceberg-sink.json: OAuth2 client
 * credentials, S3FileIO, two tasks) run for real: the sink talks HTTP to Iceberg's own REST catalog
 * server (the one the apache/iceberg-rest-fixture image runs, module rest-catalog-server) in a JVM
 * of its own, backed by a JDBC catalog on the stack's Postgres and files on its S3 endpoint. Only
 * the endpoint, the credential and the topics differ from the file. The tables, read back through a
 * REST client, equal Postgres.
 */
class RestCatalogIT extends PipelineTestBase {
  private static final Duration CATCH_UP = Duration.ofSeconds(120);
  private static RestCatalogServer server;

  @BeforeAll
  static void startPipeline() throws Exception {
    pipeline = PipelineHarness.start();
    Path lib = Path.of(System.getProperty("floe.rest.server.lib"));
    assertTrue(Files.isDirectory(lib), lib + " is missing: module rest-catalog-server builds it");
    List<Path> jars;
    try (Stream<Path> files = Files.list(lib)) {
      jars = files.filter(f -> f.toString().endsWith(".jar")).sorted().toList();
    }
    Map<String, String> backend = new HashMap<>(pipeline.stack.catalogProperties());
    backend.remove("type");
    backend.put("catalog-impl", "org.apache.iceberg.jdbc.JdbcCatalog");
    backend.put("warehouse", "s3://floe-warehouse/rest-warehouse");
    server =
        RestCatalogServer.start(jars, backend, pipeline.workerLog().resolveSibling("rest.log"));
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void theRestCatalogExampleRunsAgainstARealRestCatalog() throws Exception {
    pipeline.sql(
        "create schema billing",
        "create table billing.invoices (id bigint primary key, account text not null,"
            + " total numeric(14,2), paid boolean not null default false, memo text)",
        "insert into billing.invoices select g, 'acct-' || (g % 23), g * 3.5, g % 4 = 0,"
            + " 'memo ' || g from generate_series(1, 400) g");
    pipeline.startSource(
        "rest-source",
        Map.of(
            "topic.prefix", "rc",
            "schema.include.list", "billing",
            "slot.name", "rc_slot",
            "publication.name", "rc_publication"));

    Map<String, String> sink =
        new HashMap<>(
            ConnectorJson.read(Path.of(System.getProperty("floe.rest.example"))).config());
    Map<String, String> s3 = s3Properties();
    sink.put("topics.regex", "rc\\.billing\\..*");
    sink.put("iceberg.catalog.uri", server.uri().toString());
    sink.put("iceberg.catalog.credential", "floe-sink:not-a-secret");
    s3.forEach((key, value) -> sink.put("iceberg.catalog." + key, value));
    sink.put("commit.interval.ms", "1000");
    sink.put("errors.deadletterqueue.topic.replication.factor", "1"); // one broker here
    sink.put("errors.tolerance", "none");
    pipeline.stack.worker().rest().putConnector("rest-sink", sink);
    pipeline.awaitRunning("rest-sink");

    pipeline.sql(
        "update billing.invoices set paid = true, memo = null where id % 5 = 0",
        "delete from billing.invoices where id % 9 = 0",
        "update billing.invoices set id = id + 1000 where id in (2, 3)",
        "insert into billing.invoices (id, account) select g, 'new' from generate_series(401, 450) g");
    try (RESTCatalog reader = new RESTCatalog()) {
      Map<String, String> client = new HashMap<>(s3);
      client.put("uri", server.uri().toString());
      client.put("credential", "floe-test:not-a-secret");
      reader.initialize("reader", client);
      TableSnapshot result =
          pipeline.awaitSameRowsIn(
              reader, "billing.invoices", "cdc.billing_invoices", new String[] {"id"}, CATCH_UP);
      assertEquals(0, result.duplicateKeys);
      assertTrue(result.rowsByKey.containsKey("1002"), "the changed key landed");
    }
  }

  private static Map<String, String> s3Properties() {
    Map<String, String> s3 = new HashMap<>();
    pipeline.stack.catalogProperties().entrySet().stream()
        .filter(e -> e.getKey().startsWith("s3.") || e.getKey().equals("client.region"))
        .forEach(e -> s3.put(e.getKey(), e.getValue()));
    return s3;
  }
}
