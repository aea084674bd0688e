package dev.floe.bench.pipeline;

import dev.floe.local.ConnectRestClient;
import dev.floe.local.LocalSchemaRegistry;
import dev.floe.local.LocalStack;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * Freshness at a fixed offered rate: the source and each sink asked for streaming (Floe's and
 * Apache Iceberg's read the same topic side by side, each into its own table), {@link OpenLoopLoad}
 * inserting into Postgres, then each row's staleness when it became readable in each table ({@link
 * RowFreshness}).
 */
final class FreshnessRun {
  private static final Duration TIMEOUT = Duration.ofMinutes(10);

  private final LocalStack stack;
  private final BenchOptions options;
  private final BenchConnectors connectors;

  FreshnessRun(LocalStack stack, LocalSchemaRegistry registry, BenchOptions options) {
    this.stack = stack;
    this.options = options;
    this.connectors = new BenchConnectors(stack, registry, options);
  }

  /** One line per sink of {@code options.sinks()}: both read the same topic at the same time. */
  List<String> run(String format, int repeat) throws Exception {
    String schema = "f" + repeat + "_" + format;
    String prefix = "f" + repeat + format;
    try (Connection c =
        DriverManager.getConnection(
            stack.source().jdbcUrl(), stack.source().user(), stack.source().password())) {
      OpenLoopLoad.createTable(c, schema);
    }
    ConnectRestClient rest = connectors.rest();
    String topic = prefix + "." + schema + ".events";
    List<String> names = new ArrayList<>();
    names.add(prefix + "-source");
    rest.putConnector(prefix + "-source", connectors.source(format, prefix, schema));
    Map<String, TableIdentifier> tables = new LinkedHashMap<>();
    for (String kind : options.sinks()) {
      String name = prefix + "-" + kind + "-sink";
      names.add(name);
      if (kind.equals("apache")) {
        TableIdentifier id = TableIdentifier.of("apache", schema + "_events");
        if (connectors.catalog() instanceof SupportsNamespaces namespaces
            && !namespaces.namespaceExists(id.namespace())) {
          namespaces.createNamespace(id.namespace());
        }
        try (TopicWatch kafka = new TopicWatch(stack.kafka().bootstrapServers())) {
          kafka.create(name + "-control");
        }
        rest.putConnector(
            name, connectors.apacheSink(format, topic, id.toString(), name + "-control"));
        tables.put(kind, id);
      } else {
        rest.putConnector(name, connectors.sink(format, topic));
        tables.put(kind, TableIdentifier.of("cdc", schema + "_events"));
      }
    }
    BenchConnectors.await(
        "the connectors running",
        TIMEOUT,
        () -> {
          for (String name : names) {
            if (!rest.isRunning(name)) {
              return false;
            }
          }
          return true;
        });

    long inserted =
        OpenLoopLoad.run(
            stack.source(), schema, options.freshnessRate(), options.freshnessSeconds());
    List<String> lines = new ArrayList<>();
    for (Map.Entry<String, TableIdentifier> table : tables.entrySet()) {
      BenchConnectors.await(
          table.getValue() + " holding every row",
          TIMEOUT,
          () -> connectors.committedRows(table.getValue()) >= inserted);
      RowFreshness freshness = RowFreshness.of(connectors.catalog().loadTable(table.getValue()));
      lines.add(
          String.format(
              "| %s | %s | %d | %d | %d | %.1f | %.1f | %.1f | %.1f |",
              format,
              table.getKey(),
              options.freshnessRate(),
              options.freshnessSeconds(),
              freshness.rows(),
              freshness.percentile(50),
              freshness.percentile(90),
              freshness.percentile(99),
              freshness.percentile(100)));
    }
    for (String name : names) {
      rest.delete("connectors/" + name);
    }
    return lines;
  }

  static String header() {
    return "| format | sink | offered rows/s | seconds | rows | p50 s | p90 s | p99 s | max s |\n"
        + "|---|---|---|---|---|---|---|---|---|";
  }
}
