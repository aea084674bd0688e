package dev.floe.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole pipeline's infrastructure on one machine, on loopback only: Postgres with logical
 * decoding, a KRaft Kafka broker, an S3-compatible endpoint, and a Connect worker that loads Floe's
 * plugin archives from its {@code plugin.path}. The Iceberg catalog is a JDBC catalog in Postgres,
 * its files on the S3 endpoint. Closing stops everything in reverse order.
 */
public final class LocalStack implements AutoCloseable {
  public static final String SOURCE_DATABASE = "floe";
  public static final String CATALOG_DATABASE = "iceberg_catalog";
  public static final String BUCKET = "floe-warehouse";

  /** Ports of 0 pick free ones; a null {@code externalPostgres} starts an embedded server. */
  public record Settings(
      Path dataDir,
      PostgresEndpoint externalPostgres,
      int postgresPort,
      int kafkaPort,
      int connectPort,
      int s3Port,
      List<Path> pluginArchives,
      Map<String, String> workerOverrides,
      boolean forkedWorker,
      List<Path> workerClasspath,
      List<String> workerJvmOptions) {

    /** A worker of this JVM's Kafka. */
    public Settings(
        Path dataDir,
        PostgresEndpoint externalPostgres,
        int postgresPort,
        int kafkaPort,
        int connectPort,
        int s3Port,
        List<Path> pluginArchives,
        Map<String, String> workerOverrides,
        boolean forkedWorker) {
      this(
          dataDir,
          externalPostgres,
          postgresPort,
          kafkaPort,
          connectPort,
          s3Port,
          pluginArchives,
          workerOverrides,
          forkedWorker,
          List.of(),
          List.of());
    }
  }

  private final List<AutoCloseable> started = new ArrayList<>();
  private LocalPostgres postgres;
  private PostgresEndpoint source;
  private PostgresEndpoint catalog;
  private LocalS3 s3;
  private LocalKafka kafka;
  private ConnectWorker worker;
  private Settings settings;
  private Path pluginPath;

  private LocalStack() {}

  public static LocalStack start(Settings settings) throws Exception {
    LocalStack stack = new LocalStack();
    try {
      stack.startAll(settings);
      return stack;
    } catch (Exception e) {
      stack.close();
      throw e;
    }
  }

  private void startAll(Settings settings) throws Exception {
    Path data = settings.dataDir().toAbsolutePath();
    if (settings.externalPostgres() == null) {
      postgres =
          started(
              LocalPostgres.start(
                  data.resolve("postgres"), data.resolve("pg-binaries"), settings.postgresPort()));
      postgres.ensureDatabase(SOURCE_DATABASE);
      postgres.ensureDatabase(CATALOG_DATABASE);
      source = embedded(SOURCE_DATABASE);
      catalog = embedded(CATALOG_DATABASE);
    } else {
      source = settings.externalPostgres();
      catalog =
          settings.externalPostgres(); // the JDBC catalog keeps its two tables beside the data
    }
    s3 = started(LocalS3.start(data.resolve("s3"), settings.s3Port()));
    s3.ensureBucket(BUCKET);
    kafka = started(LocalKafka.start(data.resolve("kafka"), settings.kafkaPort()));
    pluginPath = data.resolve("plugins");
    PluginArchives.install(pluginPath, settings.pluginArchives().toArray(Path[]::new));
    this.settings = settings;
    startWorker(Map.of());
  }

  /**
   * Starts the Connect worker (again). A forked worker gets {@code systemProperties}, such as a
   * Floe failpoint; an in-process one ignores them.
   */
  public void startWorker(Map<String, String> systemProperties) throws Exception {
    int port = settings.connectPort() > 0 ? settings.connectPort() : FreePorts.pick();
    String group = "floe-local";
    worker =
        started(
            settings.forkedWorker() || !settings.workerClasspath().isEmpty()
                ? ForkedConnectWorker.start(
                    kafka.bootstrapServers(),
                    pluginPath,
                    port,
                    group,
                    settings.workerOverrides(),
                    systemProperties,
                    settings.workerJvmOptions(),
                    settings.workerClasspath(),
                    settings.dataDir().resolve("connect-worker.log"))
                : LocalConnectWorker.start(
                    kafka.bootstrapServers(), pluginPath, port, group, settings.workerOverrides()));
  }

  private PostgresEndpoint embedded(String database) {
    return new PostgresEndpoint(
        "127.0.0.1", postgres.port(), LocalPostgres.USER, LocalPostgres.PASSWORD, database);
  }

  private <T extends AutoCloseable> T started(T service) {
    started.add(0, service);
    return service;
  }

  /** The source connector's settings with this stack's database filled in. */
  public Map<String, String> sourceConfig(Map<String, String> example) {
    Map<String, String> config = new HashMap<>(example);
    config.put("database.hostname", source.host());
    config.put("database.port", String.valueOf(source.port()));
    config.put("database.user", source.user());
    config.put("database.password", source.password());
    config.put("database.dbname", source.database());
    return config;
  }

  /** The sink connector's settings with this stack's catalog and S3 endpoint filled in. */
  public Map<String, String> sinkConfig(Map<String, String> example) {
    Map<String, String> config = new HashMap<>(example);
    catalogProperties().forEach((key, value) -> config.put("iceberg.catalog." + key, value));
    return config;
  }

  /**
   * Iceberg catalog properties (as {@code CatalogUtil} takes them) for this stack's JDBC catalog on
   * S3.
   */
  public Map<String, String> catalogProperties() {
    Map<String, String> props = new HashMap<>();
    props.put("type", "jdbc");
    props.put("uri", catalog.jdbcUrl());
    props.put("jdbc.user", catalog.user());
    props.put("jdbc.password", catalog.password());
    props.put("jdbc.schema-version", "V1");
    props.put("warehouse", "s3://" + BUCKET + "/warehouse");
    props.put("io-impl", "org.apache.iceberg.aws.s3.S3FileIO");
    props.put("s3.endpoint", s3.endpoint().toString());
    props.put("s3.path-style-access", "true");
    props.put("s3.access-key-id", LocalS3.ACCESS_KEY);
    props.put("s3.secret-access-key", LocalS3.SECRET_KEY);
    props.put("client.region", LocalS3.REGION);
    return props;
  }

  public PostgresEndpoint source() {
    return source;
  }

  public LocalS3 s3() {
    return s3;
  }

  public LocalKafka kafka() {
    return kafka;
  }

  public ConnectWorker worker() {
    return worker;
  }

  /** Takes the S3 endpoint away for {@code downtime}, then brings it back with the same objects. */
  public void restartS3(java.time.Duration downtime) throws Exception {
    int port = s3.endpoint().getPort();
    stop(s3);
    Thread.sleep(downtime.toMillis());
    s3 = LocalS3.start(settings.dataDir().toAbsolutePath().resolve("s3"), port);
    started.add(started.size() - (postgres == null ? 0 : 1), s3);
  }

  /** Stops the Kafka broker for {@code downtime}, then starts it again on its kept log. */
  public void restartKafka(java.time.Duration downtime) throws Exception {
    int port = Integer.parseInt(kafka.bootstrapServers().substring("127.0.0.1:".length()));
    stop(kafka);
    Thread.sleep(downtime.toMillis());
    kafka = LocalKafka.start(settings.dataDir().toAbsolutePath().resolve("kafka"), port);
    started.add(started.indexOf(s3), kafka);
  }

  private void stop(AutoCloseable service) throws Exception {
    service.close();
    started.remove(service);
  }

  /** Kills the Connect worker (SIGKILL when forked), keeping Kafka, Postgres and S3 running. */
  public void killWorker() {
    worker.kill();
    started.remove(worker);
  }

  @Override
  public void close() {
    for (AutoCloseable service : started) {
      try {
        service.close();
      } catch (Exception e) {
        System.err.println("Stopping " + service.getClass().getSimpleName() + " failed: " + e);
      }
    }
    started.clear();
  }
}
