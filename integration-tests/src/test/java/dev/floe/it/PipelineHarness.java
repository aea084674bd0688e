package dev.floe.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.floe.local.ConnectRestClient;
import dev.floe.local.ConnectorJson;
import dev.floe.local.FreePorts;
import dev.floe.local.LocalSchemaRegistry;
import dev.floe.local.LocalStack;
import dev.floe.local.PostgresEndpoint;
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
 * The local stack as the tests use it: started with free ports under target/, the connectors
 * registered from the files in config-examples/local (as a user would), and helpers to compare
 * Postgres with Iceberg.
 */
final class PipelineHarness implements AutoCloseable {
  private final LocalStack.Settings settings;
  private final Path examples;
  LocalStack stack;
  Catalog catalog;

  /** The schema registry of an Avro pipeline ({@link #startWithAvro()}), else null. */
  LocalSchemaRegistry registry;

  private PipelineHarness(LocalStack.Settings settings, Path examples) throws Exception {
    this.settings = settings;
    this.examples = examples;
    startStack();
  }

  /**
   * A stack with fixed (free) ports under a fresh folder in target/, so it can be restarted as it
   * was.
   */
  static PipelineHarness start() throws Exception {
    return start(null, false);
  }

  /** As {@link #start()}, with the Connect worker in a process of its own, so it can be killed. */
  static PipelineHarness startWithForkedWorker() throws Exception {
    return start(null, true);
  }

  /**
   * As {@link #startWithForkedWorker()}, with more worker settings (such as {@code
   * exactly.once.source.support}).
   */
  static PipelineHarness startWithForkedWorker(Map<String, String> workerSettings)
      throws Exception {
    return start(null, true, workerSettings);
  }

  /**
   * As {@link #start()}, capturing {@code externalPostgres} instead of an embedded database if set.
   */
  static PipelineHarness start(PostgresEndpoint externalPostgres, boolean forkedWorker)
      throws Exception {
    return start(externalPostgres, forkedWorker, Map.of());
  }

  /**
   * As {@link #startWithForkedWorker()}, the worker being the Kafka Connect release of {@code
   * workerClasspath} (its jars) rather than the stack's.
   */
  static PipelineHarness startWithWorkerOf(List<Path> workerClasspath) throws Exception {
    return startWithWorkerOf(workerClasspath, List.of());
  }

  /** As {@link #startWithWorkerOf(List)}, the worker's JVM started with {@code jvmOptions}. */
  static PipelineHarness startWithWorkerOf(List<Path> workerClasspath, List<String> jvmOptions)
      throws Exception {
    return start(null, true, Map.of(), workerClasspath, jvmOptions);
  }

  /** As {@link #startWithForkedWorker()}, the worker's JVM started with {@code jvmOptions}. */
  static PipelineHarness startWithForkedWorkerOptions(List<String> jvmOptions) throws Exception {
    return start(null, true, Map.of(), List.of(), jvmOptions);
  }

  /**
   * As {@link #start()}, with Apicurio's Avro converter installed on the worker's plugin.path (as
   * an operator installs a converter), a schema registry ({@link LocalSchemaRegistry}), and the
   * connectors registered from config-examples/avro: Avro in the Confluent wire format on every
   * topic.
   */
  static PipelineHarness startWithAvro() throws Exception {
    Path converter = Path.of(System.getProperty("floe.avro.converter.plugin"));
    if (!Files.isDirectory(converter)) {
      throw new IllegalStateException(
          converter + " is missing: the avro-converter module builds it (package)");
    }
    PipelineHarness harness =
        start(
            null,
            false,
            Map.of(),
            List.of(),
            List.of(),
            List.of(converter),
            Path.of(System.getProperty("floe.examples.dir")).resolveSibling("avro"));
    harness.registry = LocalSchemaRegistry.start(0);
    return harness;
  }

  private static PipelineHarness start(
      PostgresEndpoint externalPostgres, boolean forkedWorker, Map<String, String> workerSettings)
      throws Exception {
    return start(externalPostgres, forkedWorker, workerSettings, List.of(), List.of());
  }

  private static PipelineHarness start(
      PostgresEndpoint externalPostgres,
      boolean forkedWorker,
      Map<String, String> workerSettings,
      List<Path> workerClasspath,
      List<String> workerJvmOptions)
      throws Exception {
    return start(
        externalPostgres,
        forkedWorker,
        workerSettings,
        workerClasspath,
        workerJvmOptions,
        List.of(),
        Path.of(System.getProperty("floe.examples.dir")));
  }

  private static PipelineHarness start(
      PostgresEndpoint externalPostgres,
      boolean forkedWorker,
      Map<String, String> workerSettings,
      List<Path> workerClasspath,
      List<String> workerJvmOptions,
      List<Path> morePlugins,
      Path examples)
      throws Exception {
    Map<String, String> worker =
        new HashMap<>(
            Map.of(
                "offset.flush.interval.ms", "1000",
                // a killed worker's group memberships expire in seconds, not the default 45
                "session.timeout.ms", "6000",
                "heartbeat.interval.ms", "1000",
                "consumer.session.timeout.ms", "6000",
                "consumer.heartbeat.interval.ms", "1000"));
    worker.putAll(workerSettings);
    Path data = Path.of("target", "it-data", UUID.randomUUID().toString());
    Files.createDirectories(data);
    return new PipelineHarness(
        new LocalStack.Settings(
            data,
            externalPostgres,
            FreePorts.pick(),
            FreePorts.pick(),
            FreePorts.pick(),
            FreePorts.pick(),
            java.util.stream.Stream.concat(
                    java.util.stream.Stream.of(
                        Path.of(System.getProperty("floe.source.archive")),
                        Path.of(System.getProperty("floe.sink.archive"))),
                    morePlugins.stream())
                .toList(),
            worker,
            forkedWorker,
            workerClasspath,
            workerJvmOptions),
        examples);
  }

  private void startStack() throws Exception {
    stack = LocalStack.start(settings);
    catalog = CatalogUtil.buildIcebergCatalog("floe", stack.catalogProperties(), null);
  }

  /**
   * Stops every service (worker, Kafka, S3, Postgres) and starts them again on the same data and
   * ports.
   */
  void restartEverything() throws Exception {
    stopStack();
    startStack();
  }

  /** The log of a forked Connect worker. */
  Path workerLog() {
    return settings.dataDir().resolve("connect-worker.log");
  }

  Connection postgres() throws SQLException {
    return java.sql.DriverManager.getConnection(
        stack.source().jdbcUrl(), stack.source().user(), stack.source().password());
  }

  void sql(String... statements) throws SQLException {
    try (Connection c = postgres();
        Statement st = c.createStatement()) {
      for (String statement : statements) {
        st.execute(statement);
      }
    }
  }

  /** The example connector's config, with this stack's endpoints and the given overrides. */
  static Map<String, String> example(String file) throws Exception {
    return ConnectorJson.read(Path.of(System.getProperty("floe.examples.dir"), file)).config();
  }

  /** The connector config of this pipeline's example {@code file}, with its endpoints filled in. */
  private Map<String, String> ownExample(String file) throws Exception {
    Map<String, String> config = ConnectorJson.read(examples.resolve(file)).config();
    return registry == null ? config : registry.pointConvertersHere(config);
  }

  void startSource(String name, Map<String, String> overrides) throws Exception {
    register(name, sourceConfig(overrides));
  }

  /** The source's config as {@link #startSource} registers it. */
  Map<String, String> sourceConfig(Map<String, String> overrides) throws Exception {
    Map<String, String> config = stack.sourceConfig(ownExample("postgres-source.json"));
    config.putAll(overrides);
    return config;
  }

  void startSink(String name, Map<String, String> overrides) throws Exception {
    Map<String, String> config = stack.sinkConfig(ownExample("iceberg-sink.json"));
    // a record the sink cannot apply fails the task, loudly, unless a test asks for dead letters
    config.put("errors.tolerance", "none");
    config.putAll(overrides);
    register(name, config);
  }

  private void register(String name, Map<String, String> config) throws Exception {
    stack.worker().rest().putConnector(name, config);
    awaitRunning(name);
  }

  void awaitRunning(String name) throws Exception {
    ConnectRestClient rest = stack.worker().rest();
    Waits.until(
        Duration.ofSeconds(90),
        "connector " + name + " running",
        () -> rest.isRunning(name),
        () -> String.valueOf(rest.status(name)));
  }

  /**
   * {@code PUT /connector-plugins/{plugin}/config/validate}: key → error messages, for keys with
   * errors.
   */
  Map<String, String> validate(String plugin, Map<String, String> config) throws Exception {
    Map<String, String> named = new HashMap<>(config);
    named.putIfAbsent("name", "validation-probe");
    JsonNode result =
        stack.worker().rest().put("connector-plugins/" + plugin + "/config/validate", named);
    Map<String, String> errors = new HashMap<>();
    for (JsonNode entry : result.path("configs")) {
      JsonNode value = entry.path("value");
      if (value.path("errors").size() > 0) {
        errors.put(value.path("name").asText(), value.path("errors").toString());
      }
    }
    return errors;
  }

  Table table(String name) {
    return catalog.loadTable(TableIdentifier.parse(name));
  }

  /**
   * Waits until the Iceberg table holds exactly what the Postgres table holds, and returns both.
   */
  TableSnapshot awaitSameRows(
      String pgTable, String icebergTable, String keyColumn, Duration timeout) throws Exception {
    return awaitSameRowsByKeys(pgTable, icebergTable, new String[] {keyColumn}, timeout);
  }

  /** As {@link #awaitSameRows}, for a table whose key has several columns. */
  TableSnapshot awaitSameRowsByKeys(
      String pgTable, String icebergTable, String[] keyColumns, Duration timeout) throws Exception {
    return awaitSameRowsIn(catalog, pgTable, icebergTable, keyColumns, timeout);
  }

  /** As {@link #awaitSameRowsByKeys}, reading Iceberg through {@code readFrom}. */
  TableSnapshot awaitSameRowsIn(
      Catalog readFrom, String pgTable, String icebergTable, String[] keyColumns, Duration timeout)
      throws Exception {
    return awaitSame(readFrom, pgTable, icebergTable, keyColumns, timeout, false);
  }

  /**
   * As {@link #awaitSameRows}, in Postgres's columns only, or in {@code only} of them: after schema
   * changes Iceberg keeps a dropped column (old snapshots read it), and a check may leave out a
   * column whose values it looks at on its own.
   */
  TableSnapshot awaitSameColumns(
      String pgTable, String icebergTable, String keyColumn, Duration timeout, String... only)
      throws Exception {
    return awaitSame(catalog, pgTable, icebergTable, new String[] {keyColumn}, timeout, true, only);
  }

  private TableSnapshot awaitSame(
      Catalog readFrom,
      String pgTable,
      String icebergTable,
      String[] keyColumns,
      Duration timeout,
      boolean inPostgresColumns,
      String... only)
      throws Exception {
    TableSnapshot[] last = new TableSnapshot[2];
    Waits.until(
        timeout,
        icebergTable + " equal to " + pgTable,
        () -> {
          try (Connection c = postgres()) {
            last[0] = TableSnapshot.ofPostgres(c, pgTable, keyColumns);
          }
          if (only.length > 0) {
            last[0] = last[0].project(List.of(only));
          }
          try {
            last[1] =
                TableSnapshot.ofIceberg(
                    readFrom.loadTable(TableIdentifier.parse(icebergTable)), keyColumns);
          } catch (NoSuchTableException notYet) {
            return false;
          }
          if (inPostgresColumns) {
            last[1] = last[1].project(last[0].columns());
          }
          return last[0].equals(last[1]);
        },
        () ->
            "postgres "
                + last[0]
                + "\n iceberg "
                + last[1]
                + "\n schema "
                + schemaOf(readFrom, icebergTable));
    return last[1];
  }

  private static String schemaOf(Catalog catalog, String icebergTable) {
    try {
      return String.valueOf(catalog.loadTable(TableIdentifier.parse(icebergTable)).schema());
    } catch (RuntimeException unreadable) {
      return unreadable.toString();
    }
  }

  @Override
  public void close() throws Exception {
    stopStack();
    if (registry != null) {
      registry.close();
    }
  }

  private void stopStack() throws Exception {
    if (catalog instanceof AutoCloseable closeable) {
      closeable.close();
    }
    stack.close();
  }
}
