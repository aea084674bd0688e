package dev.floe.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.floe.local.ConnectRestClient;
import dev.floe.local.ConnectorJson;
import dev.floe.local.PluginArchives;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.rest.RESTCatalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * The pipeline on the container images users deploy, with the files docker compose mounts
 * (config-examples/compose: the demo schema, the worker's properties, the secrets file, both
 * connectors' JSON): Postgres 17, Kafka, a Kafka Connect worker of Kafka's own image loading both
 * archives from plugin.path, MinIO and Iceberg's REST catalog. The demo tables' changes reach
 * Iceberg, read back through the REST catalog, equal to Postgres. Without a Docker engine it is
 * skipped, saying so: the same pipeline runs on real components without Docker in
 * integration-tests.
 */
class ContainerPipelineIT {
  private static final String S3_USER = "floe";
  private static final String S3_SECRET = "floe-compose-secret";
  private static final Network NETWORK = Network.newNetwork();
  private static PostgreSQLContainer<?> postgres;
  private static KafkaContainer kafka;
  private static GenericContainer<?> minio;
  private static GenericContainer<?> rest;
  private static GenericContainer<?> connect;
  private static boolean docker;

  @BeforeAll
  static void startContainers() throws Exception {
    docker = DockerClientFactory.instance().isDockerAvailable();
    if (!docker) {
      return; // the test says why it is skipped
    }
    Path compose = Path.of(System.getProperty("floe.compose.dir"));
    postgres =
        new PostgreSQLContainer<>(DockerImageName.parse("postgres:17.6"))
            .withDatabaseName("floe")
            .withUsername("postgres")
            .withPassword("postgres")
            .withCommand("postgres", "-c", "wal_level=logical", "-c", "fsync=off")
            .withCopyFileToContainer(
                MountableFile.forHostPath(compose.resolve("postgres-init.sql")),
                "/docker-entrypoint-initdb.d/10-demo.sql")
            .withNetwork(NETWORK)
            .withNetworkAliases("postgres");
    kafka =
        new KafkaContainer(DockerImageName.parse("apache/kafka:4.3.1"))
            .withListener("kafka:19092")
            .withNetwork(NETWORK);
    minio =
        new GenericContainer<>(DockerImageName.parse("minio/minio:RELEASE.2025-04-22T22-12-26Z"))
            .withCommand("server", "/data")
            .withEnv(Map.of("MINIO_ROOT_USER", S3_USER, "MINIO_ROOT_PASSWORD", S3_SECRET))
            .withExposedPorts(9000)
            .waitingFor(Wait.forHttp("/minio/health/ready").forPort(9000))
            .withNetwork(NETWORK)
            .withNetworkAliases("minio");
    Startables.deepStart(postgres, kafka, minio).join();
    minio.execInContainer(
        "sh",
        "-c",
        "mc alias set lake http://localhost:9000 "
            + S3_USER
            + " "
            + S3_SECRET
            + " && mc mb --ignore-existing lake/floe-warehouse");
    rest =
        new GenericContainer<>(DockerImageName.parse("apache/iceberg-rest-fixture:1.10.0"))
            .withEnv(
                Map.of(
                    "CATALOG_WAREHOUSE", "s3://floe-warehouse/warehouse",
                    "CATALOG_IO__IMPL", "org.apache.iceberg.aws.s3.S3FileIO",
                    "CATALOG_S3_ENDPOINT", "http://minio:9000",
                    "CATALOG_S3_PATH__STYLE__ACCESS", "true",
                    "AWS_ACCESS_KEY_ID", S3_USER,
                    "AWS_SECRET_ACCESS_KEY", S3_SECRET,
                    "AWS_REGION", "us-east-1"))
            .withExposedPorts(8181)
            .waitingFor(Wait.forHttp("/v1/config").forPort(8181))
            .withNetwork(NETWORK)
            .withNetworkAliases("iceberg-rest");
    rest.start();

    Path plugins = Files.createTempDirectory(Path.of("target"), "plugins");
    PluginArchives.install(
        plugins,
        Path.of(System.getProperty("floe.source.archive")),
        Path.of(System.getProperty("floe.sink.archive")));
    String worker =
        Files.readString(compose.resolve("connect-distributed.properties"))
            .replace("bootstrap.servers=kafka:9092", "bootstrap.servers=kafka:19092");
    Path workerFile = plugins.resolveSibling(plugins.getFileName() + ".properties");
    Files.writeString(workerFile, worker);
    connect =
        new GenericContainer<>(DockerImageName.parse("apache/kafka:4.3.1"))
            .withCopyFileToContainer(MountableFile.forHostPath(plugins), "/plugins")
            .withCopyFileToContainer(
                MountableFile.forHostPath(workerFile), "/etc/floe/connect-distributed.properties")
            .withCopyFileToContainer(
                MountableFile.forHostPath(compose.resolve("secrets.properties")),
                "/etc/floe/secrets.properties")
            .withEnv("AWS_REGION", "us-east-1")
            .withCommand(
                "/opt/kafka/bin/connect-distributed.sh", "/etc/floe/connect-distributed.properties")
            .withExposedPorts(8083)
            .waitingFor(
                Wait.forHttp("/connector-plugins")
                    .forPort(8083)
                    .withStartupTimeout(Duration.ofMinutes(3)))
            .withNetwork(NETWORK)
            .dependsOn(kafka, postgres, rest);
    connect.start();
  }

  @AfterAll
  static void stopContainers() {
    for (GenericContainer<?> container : new GenericContainer<?>[] {connect, rest, minio, kafka}) {
      if (container != null) {
        container.stop();
      }
    }
    if (postgres != null) {
      postgres.stop();
    }
  }

  @Test
  void theDemoTablesArriveInIcebergEqualToPostgres() throws Exception {
    Assumptions.assumeTrue(
        docker,
        "No Docker engine answers here: ContainerPipelineIT runs the pipeline on container images"
            + " only where one does (the end-to-end tests in integration-tests need none)");
    Path compose = Path.of(System.getProperty("floe.compose.dir"));
    ConnectRestClient worker =
        new ConnectRestClient(
            URI.create("http://" + connect.getHost() + ":" + connect.getMappedPort(8083) + "/"));
    for (String file : new String[] {"postgres-source.json", "iceberg-sink.json"}) {
      ConnectorJson connector = ConnectorJson.read(compose.resolve(file));
      worker.putConnector(connector.name(), connector.config());
    }
    try (Connection db =
            DriverManager.getConnection(
                postgres.getJdbcUrl(), postgres.getUsername(), postgres.getPassword());
        Statement st = db.createStatement()) {
      st.execute("update demo.orders set status = 'refunded' where id % 13 = 0");
      st.execute("delete from demo.orders where id % 17 = 0");
      st.execute(
          "insert into demo.orders (customer_id, amount, status) select 1, 9.99, 'late'"
              + " from generate_series(1, 100)");
    }
    try (RESTCatalog catalog = new RESTCatalog()) {
      catalog.initialize(
          "lake",
          Map.of(
              CatalogProperties.URI,
              "http://" + rest.getHost() + ":" + rest.getMappedPort(8181),
              CatalogProperties.FILE_IO_IMPL,
              "org.apache.iceberg.aws.s3.S3FileIO",
              "s3.endpoint",
              "http://" + minio.getHost() + ":" + minio.getMappedPort(9000),
              "s3.path-style-access",
              "true",
              "s3.access-key-id",
              S3_USER,
              "s3.secret-access-key",
              S3_SECRET,
              "client.region",
              "us-east-1"));
      Map<Long, String> expected = postgresOrders();
      long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
      Map<Long, String> actual = Map.of();
      while (System.nanoTime() < deadline) {
        actual = icebergOrders(catalog);
        if (actual.equals(expected)) {
          break;
        }
        Thread.sleep(2_000);
      }
      assertEquals(expected, actual, "cdc.demo_orders equals demo.orders");
    }
  }

  private static Map<Long, String> postgresOrders() throws Exception {
    Map<Long, String> rows = new TreeMap<>();
    try (Connection db =
            DriverManager.getConnection(
                postgres.getJdbcUrl(), postgres.getUsername(), postgres.getPassword());
        Statement st = db.createStatement();
        ResultSet rs =
            st.executeQuery("select id, customer_id, amount::text, status from demo.orders")) {
      while (rs.next()) {
        rows.put(rs.getLong(1), rs.getInt(2) + "|" + rs.getString(3) + "|" + rs.getString(4));
      }
    }
    return rows;
  }

  private static Map<Long, String> icebergOrders(RESTCatalog catalog) throws Exception {
    TableIdentifier orders = TableIdentifier.of("cdc", "demo_orders");
    if (!catalog.tableExists(orders)) {
      return Map.of();
    }
    Table table = catalog.loadTable(orders);
    Map<Long, String> rows = new TreeMap<>();
    try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
      for (Record r : records) {
        rows.put(
            ((Number) r.getField("id")).longValue(),
            r.getField("customer_id")
                + "|"
                + ((java.math.BigDecimal) r.getField("amount")).toPlainString()
                + "|"
                + r.getField("status"));
      }
    }
    return rows;
  }
}
