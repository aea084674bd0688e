package dev.floe.bench.pipeline;

import dev.floe.local.ConnectRestClient;
import dev.floe.local.LocalSchemaRegistry;
import dev.floe.local.LocalStack;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * Freshness at a fixed offered rate: both connectors streaming, {@link OpenLoopLoad} inserting into
 * Postgres, then each row's staleness when it became readable in Iceberg ({@link RowFreshness}).
 */
final class FreshnessRun {
  private final LocalStack stack;
  private final LocalSchemaRegistry registry;
  private final BenchOptions options;
  private final Catalog catalog;

  FreshnessRun(LocalStack stack, LocalSchemaRegistry registry, BenchOptions options) {
    this.stack = stack;
    this.registry = registry;
    this.options = options;
    this.catalog = CatalogUtil.buildIcebergCatalog("floe", stack.catalogProperties(), null);
  }

  String run(String format, int repeat) throws Exception {
    String schema = "f" + repeat + "_" + format;
    String prefix = "f" + repeat + format;
    try (Connection c =
        DriverManager.getConnection(
            stack.source().jdbcUrl(), stack.source().user(), stack.source().password())) {
      OpenLoopLoad.createTable(c, schema);
    }
    ConnectRestClient rest = stack.worker().rest();
    Map<String, String> source =
        stack.sourceConfig(
            PipelineBenchmark.example(options, format, "postgres-source.json", registry));
    source.putAll(
        Map.of(
            "topic.prefix",
            prefix,
            "schema.include.list",
            schema,
            "slot.name",
            prefix + "_slot",
            "publication.name",
            prefix + "_publication"));
    Map<String, String> sink =
        stack.sinkConfig(PipelineBenchmark.example(options, format, "iceberg-sink.json", registry));
    sink.remove("topics.regex");
    sink.putAll(
        Map.of(
            "topics",
            prefix + "." + schema + ".events",
            "commit.interval.ms",
            String.valueOf(options.commitIntervalMs()),
            "errors.tolerance",
            "none"));
    rest.putConnector(prefix + "-source", source);
    rest.putConnector(prefix + "-sink", sink);
    await(() -> rest.isRunning(prefix + "-source") && rest.isRunning(prefix + "-sink"));

    long inserted =
        OpenLoopLoad.run(
            stack.source(), schema, options.freshnessRate(), options.freshnessSeconds());
    TableIdentifier id = TableIdentifier.of("cdc", schema + "_events");
    await(() -> rows(id) >= inserted);
    RowFreshness freshness = RowFreshness.of(catalog.loadTable(id));
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

  private long rows(TableIdentifier id) {
    if (!catalog.tableExists(id)) {
      return 0;
    }
    Table table = catalog.loadTable(id);
    Snapshot current = table.currentSnapshot();
    return current == null
        ? 0
        : Long.parseLong(current.summary().getOrDefault("total-records", "0"));
  }

  private static void await(PipelineRun.Check check) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
    while (!check.done()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("Timed out");
      }
      Thread.sleep(100);
    }
  }
}
