package dev.floe.bench.pipeline;

import dev.floe.local.ConnectRestClient;
import dev.floe.local.ConnectorJson;
import dev.floe.local.LocalSchemaRegistry;
import dev.floe.local.LocalStack;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * The connectors a benchmark run registers, from config-examples/local (JSON) or
 * config-examples/avro (Avro, the registry URL pointed at the local registry), and what the runs
 * read back: the rows a table's last commit holds.
 */
final class BenchConnectors {
  private final LocalStack stack;
  private final LocalSchemaRegistry registry;
  private final BenchOptions options;
  private final Catalog catalog;

  BenchConnectors(LocalStack stack, LocalSchemaRegistry registry, BenchOptions options) {
    this.stack = stack;
    this.registry = registry;
    this.options = options;
    // the sink's catalog name: a JDBC catalog keeps tables per catalog name
    this.catalog = CatalogUtil.buildIcebergCatalog("floe", stack.catalogProperties(), null);
  }

  /** The source capturing {@code schema} onto topics named {@code prefix.schema.table}. */
  Map<String, String> source(String format, String prefix, String schema) throws Exception {
    Map<String, String> config = stack.sourceConfig(example(format, "postgres-source.json"));
    config.putAll(
        Map.of(
            "topic.prefix",
            prefix,
            "schema.include.list",
            schema,
            "slot.name",
            prefix + "_slot",
            "publication.name",
            prefix + "_publication"));
    // the topics' partitions: one task of each sink per partition
    config.put("topic.creation.default.partitions", String.valueOf(options.partitions()));
    config.putAll(options.sourceSettings());
    return config;
  }

  /** The sink reading {@code topic}, committing at the run's interval, failing on a bad record. */
  Map<String, String> sink(String format, String topic) throws Exception {
    Map<String, String> config = stack.sinkConfig(example(format, "iceberg-sink.json"));
    config.remove("topics.regex");
    config.putAll(
        Map.of(
            "topics",
            topic,
            "commit.interval.ms",
            String.valueOf(options.commitIntervalMs()),
            "errors.tolerance",
            "none",
            "tasks.max",
            String.valueOf(options.partitions())));
    return config;
  }

  /**
   * Apache Iceberg's sink on the same topic, catalog, converters, task count and interval, as its
   * users run it on Debezium's events: Debezium's {@code ExtractNewRecordState} flattening each
   * event to its row (the SMT loads from the source's archive), the table created from the first
   * record, its coordinator committing every {@code commit.interval.ms} through {@code
   * controlTopic}.
   */
  Map<String, String> apacheSink(String format, String topic, String table, String controlTopic)
      throws Exception {
    Map<String, String> floe = sink(format, topic);
    Map<String, String> config = new HashMap<>();
    floe.forEach(
        (key, value) -> {
          if (key.startsWith("iceberg.catalog.") || key.contains("converter")) {
            config.put(key, value);
          }
        });
    config.put("connector.class", "org.apache.iceberg.connect.IcebergSinkConnector");
    config.put("tasks.max", floe.get("tasks.max"));
    config.put("topics", topic);
    config.put("errors.tolerance", "none");
    config.put("transforms", "unwrap");
    config.put("transforms.unwrap.type", "io.debezium.transforms.ExtractNewRecordState");
    config.put("transforms.unwrap.delete.tombstone.handling.mode", "drop");
    config.put("iceberg.catalog", floe.get("iceberg.catalog-name"));
    config.put("iceberg.tables", table);
    config.put("iceberg.tables.auto-create-enabled", "true");
    config.put("iceberg.control.topic", controlTopic);
    // Apache's sink finds the worker's Kafka settings in the worker's properties file, named on its
    // command line; this in-process worker has none, so the control topic's clients are told here
    config.put("iceberg.kafka.bootstrap.servers", stack.kafka().bootstrapServers());
    config.put("iceberg.control.commit.interval-ms", String.valueOf(options.commitIntervalMs()));
    return config;
  }

  private Map<String, String> example(String format, String file) throws Exception {
    String folder = format.equals("avro") ? "avro" : "local";
    return registry.pointConvertersHere(
        ConnectorJson.read(options.root().resolve("config-examples").resolve(folder).resolve(file))
            .config());
  }

  ConnectRestClient rest() {
    return stack.worker().rest();
  }

  Catalog catalog() {
    return catalog;
  }

  /** The rows of the table's current snapshot, 0 before the sink created it. */
  long committedRows(TableIdentifier id) {
    if (!catalog.tableExists(id)) {
      return 0;
    }
    Snapshot current = catalog.loadTable(id).currentSnapshot();
    return current == null
        ? 0
        : Long.parseLong(current.summary().getOrDefault("total-records", "0"));
  }

  interface Check {
    boolean done() throws Exception;
  }

  static void await(String what, Duration timeout, Check check) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!check.done()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("Timed out after " + timeout + " waiting for " + what);
      }
      Thread.sleep(100);
    }
  }
}
