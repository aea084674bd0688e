package dev.floe.bench.pipeline;

import dev.floe.local.ConnectRestClient;
import dev.floe.local.LocalSchemaRegistry;
import dev.floe.local.LocalStack;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Map;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * Freshness at a fixed offered rate: both connectors streaming, {@link OpenLoopLoad} inserting into
 * Postgres, then each row's staleness when it became readable in Iceberg ({@link RowFreshness}).
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

  String run(String format, int repeat) throws Exception {
    String schema = "f" + repeat + "_" + format;
    String prefix = "f" + repeat + format;
    try (Connection c =
        DriverManager.getConnection(
            stack.source().jdbcUrl(), stack.source().user(), stack.source().password())) {
      OpenLoopLoad.createTable(c, schema);
    }
    ConnectRestClient rest = connectors.rest();
    Map<String, String> source = connectors.source(format, prefix, schema);
    Map<String, String> sink = connectors.sink(format, prefix + "." + schema + ".events");
    rest.putConnector(prefix + "-source", source);
    rest.putConnector(prefix + "-sink", sink);
    BenchConnectors.await(
        "both connectors running",
        TIMEOUT,
        () -> rest.isRunning(prefix + "-source") && rest.isRunning(prefix + "-sink"));

    long inserted =
        OpenLoopLoad.run(
            stack.source(), schema, options.freshnessRate(), options.freshnessSeconds());
    TableIdentifier id = TableIdentifier.of("cdc", schema + "_events");
    BenchConnectors.await(
        "the table holding every row", TIMEOUT, () -> connectors.committedRows(id) >= inserted);
    RowFreshness freshness = RowFreshness.of(connectors.catalog().loadTable(id));
    rest.delete("connectors/" + prefix + "-source");
    rest.delete("connectors/" + prefix + "-sink");
    return String.format(
        "| %s | %d | %d | %d | %.1f | %.1f | %.1f | %.1f |",
        format,
        options.freshnessRate(),
        options.freshnessSeconds(),
        freshness.rows(),
        freshness.percentile(50),
        freshness.percentile(90),
        freshness.percentile(99),
        freshness.percentile(100));
  }

  static String header() {
    return "| format | offered rows/s | seconds | rows | p50 s | p90 s | p99 s | max s |\n"
        + "|---|---|---|---|---|---|---|---|";
  }
}
