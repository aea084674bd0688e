package dev.floe.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.floe.local.ConnectRestClient;
import dev.floe.local.LocalStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchTableException;

/**
 * The local stack as the tests use it: started with free ports under target/, the connectors registered from
 * the files in config-examples/local (as a user would), and helpers to compare Postgres with Iceberg.
 */
final class PipelineHarness implements AutoCloseable {
  final LocalStack stack;
  final Catalog catalog;

  private PipelineHarness(LocalStack stack) {
    this.stack = stack;
    this.catalog = CatalogUtil.buildIcebergCatalog("floe", stack.catalogProperties(), null);
  }

  static PipelineHarness start() throws Exception {
    Path data = Path.of("target", "it-data", UUID.randomUUID().toString());
    Files.createDirectories(data);
    LocalStack stack = LocalStack.start(new LocalStack.Settings(data, null, 0, 0, 0, 0,
        List.of(Path.of(System.getProperty("floe.source.archive")), Path.of(System.getProperty("floe.sink.archive"))),
        Map.of("offset.flush.interval.ms", "1000")));
    return new PipelineHarness(stack);
  }

  Connection postgres() throws SQLException {
    return java.sql.DriverManager.getConnection(stack.source().jdbcUrl(), stack.source().user(),
        stack.source().password());
  }

  void sql(String... statements) throws SQLException {
    try (Connection c = postgres(); Statement st = c.createStatement()) {
      for (String statement : statements) {
        st.execute(statement);
      }
    }
  }

  /** The example connector's config, with this stack's endpoints and the given overrides. */
  static Map<String, String> example(String file) throws Exception {
    JsonNode json = ConnectRestClient.readConnectorJson(Path.of(System.getProperty("floe.examples.dir"), file));
    Map<String, String> config = new HashMap<>();
    json.get("config").fields().forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
    return config;
  }

  void startSource(String name, Map<String, String> overrides) throws Exception {
    Map<String, String> config = stack.sourceConfig(example("postgres-source.json"));
    config.putAll(overrides);
    register(name, config);
  }

  void startSink(String name, Map<String, String> overrides) throws Exception {
    Map<String, String> config = stack.sinkConfig(example("iceberg-sink.json"));
    config.putAll(overrides);
    register(name, config);
  }

  private void register(String name, Map<String, String> config) throws Exception {
    ConnectRestClient rest = stack.worker().rest();
    rest.putConnector(name, config);
    Waits.until(Duration.ofSeconds(90), "connector " + name + " running", () -> rest.isRunning(name),
        () -> String.valueOf(rest.status(name)));
  }

  Table table(String name) {
    return catalog.loadTable(TableIdentifier.parse(name));
  }

  /** Waits until the Iceberg table holds exactly what the Postgres table holds, and returns both. */
  TableSnapshot awaitSameRows(String pgTable, String icebergTable, String keyColumn, Duration timeout)
      throws Exception {
    TableSnapshot[] last = new TableSnapshot[2];
    Waits.until(timeout, icebergTable + " equal to " + pgTable, () -> {
      try (Connection c = postgres()) {
        last[0] = TableSnapshot.ofPostgres(c, pgTable, keyColumn);
      }
      try {
        last[1] = TableSnapshot.ofIceberg(table(icebergTable), keyColumn);
      } catch (NoSuchTableException notYet) {
        return false;
      }
      return last[0].equals(last[1]);
    }, () -> "postgres " + last[0] + "\n iceberg " + last[1]);
    return last[1];
  }

  @Override
  public void close() throws Exception {
    if (catalog instanceof AutoCloseable closeable) {
      closeable.close();
    }
    stack.close();
  }
}
