package dev.floe.sink.metrics;

import dev.floe.common.metrics.PluginMetricsRegistry;
import dev.floe.sink.write.TableFlush;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Avg;
import org.apache.kafka.common.metrics.stats.CumulativeCount;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.common.metrics.stats.Max;
import org.apache.kafka.common.metrics.stats.Rate;

/**
 * One table's figures, tagged {@code table=<namespace.table>}: what this task applied to it and how
 * fresh it is. Freshness has two sides: how late the newest change was when it landed ({@code
 * commit-latency-ms}, the end-to-end delay from the Postgres commit), and how old the newest
 * applied change is now ({@code source-watermark-age-ms}, which also grows while the source is
 * idle; read it next to {@code last-commit-age-ms}).
 */
final class TableMetrics {
  private final PluginMetricsRegistry metrics;
  private final String table;
  private final Sensor events;
  private final Sensor dataFiles;
  private final Sensor deleteFiles;
  private final Sensor commits;
  private final Sensor filledFromBuffer;
  private final Sensor filledFromTable;
  private final Sensor lookups;
  private final Sensor keptAsText;
  private final Sensor newKeys;
  private final Sensor byPosition;
  private final Sensor byEquality;
  private volatile long lastCommitMs = -1;
  private volatile long watermarkMs = -1;
  private volatile long latencyMs = -1;

  TableMetrics(PluginMetricsRegistry metrics, String sensorPrefix, String table) {
    this.metrics = metrics;
    this.table = table;
    String prefix = sensorPrefix + table + ":";
    events = metrics.addSensor(prefix + "applied");
    stat(
        events,
        "change-events-applied-total",
        "Change events committed (a delete's tombstone counts as one).",
        new CumulativeSum());
    stat(events, "change-events-applied-rate", "Change events committed per second.", new Rate());
    dataFiles = metrics.addSensor(prefix + "data-files");
    stat(dataFiles, "data-files-committed-total", "Data files committed.", new CumulativeSum());
    deleteFiles = metrics.addSensor(prefix + "delete-files");
    stat(
        deleteFiles,
        "delete-files-committed-total",
        "Equality delete files committed.",
        new CumulativeSum());
    commits = metrics.addSensor(prefix + "commits");
    stat(commits, "commits-total", "Snapshots committed (one per flush).", new CumulativeCount());
    stat(commits, "commit-time-avg-ms", "Average time to write and commit a flush.", new Avg());
    stat(commits, "commit-time-max-ms", "Longest time to write and commit a flush.", new Max());
    filledFromBuffer = metrics.addSensor(prefix + "filled-from-buffer");
    stat(
        filledFromBuffer,
        "unavailable-values-filled-from-buffer-total",
        "Rows whose unchanged TOASTed values (not sent by Postgres) came from an earlier change"
            + " of the same row in the flush.",
        new CumulativeSum());
    filledFromTable = metrics.addSensor(prefix + "filled-from-table");
    stat(
        filledFromTable,
        "unavailable-values-filled-from-table-total",
        "Rows whose unchanged TOASTed values came from the row as committed in the table.",
        new CumulativeSum());
    keptAsText = metrics.addSensor(prefix + "kept-as-text");
    stat(
        keptAsText,
        "values-kept-as-text-total",
        "Values committed null in a column that cannot hold them (a numeric NaN or one with more"
            + " digits than its decimal, a time 24:00:00), their exact text kept in the row's"
            + " _floe_unrepresentable map; counted per change event, like change events.",
        new CumulativeSum());
    newKeys = metrics.addSensor(prefix + "new-keys");
    stat(
        newKeys,
        "new-keys-written-total",
        "Rows written without an equality delete: the key index knew the table did not hold their"
            + " keys (inserts of new keys).",
        new CumulativeSum());
    byPosition = metrics.addSensor(prefix + "deleted-by-position");
    stat(
        byPosition,
        "rows-deleted-by-position-total",
        "Earlier rows of updated and deleted keys deleted by position (deletion vectors in a format"
            + " v3 table, position deletes in v2): found in the table, nothing left for readers to"
            + " join.",
        new CumulativeSum());
    byEquality = metrics.addSensor(prefix + "deleted-by-equality");
    stat(
        byEquality,
        "keys-deleted-by-equality-total",
        "Keys deleted by equality: every updated key when rows are not found by position (a data"
            + " file not in Parquet, position deletes off), and deletes of keys the table does not"
            + " hold (kept as tombstones). Compaction removes them.",
        new CumulativeSum());
    lookups = metrics.addSensor(prefix + "lookups");
    stat(
        lookups,
        "last-state-reads-total",
        "Reads of the table for rows' last states (at most one per flush and snapshot read).",
        new CumulativeCount());
    stat(
        lookups,
        "last-state-read-time-max-ms",
        "Longest read of the table for rows' last states.",
        new Max());
    stat(lookups, "last-state-read-time-avg-ms", "Average read for rows' last states.", new Avg());
    gauge("last-commit-age-ms", "Milliseconds since the last commit to the table.", lastCommitMs());
    gauge(
        "commit-latency-ms",
        "At the last commit, milliseconds from the Postgres commit of its newest change.",
        () -> latencyMs);
    gauge(
        "source-watermark-age-ms",
        "Milliseconds since the Postgres commit of the newest change applied to the table.",
        () -> watermarkMs < 0 ? -1 : System.currentTimeMillis() - watermarkMs);
  }

  private void stat(
      Sensor sensor,
      String name,
      String description,
      org.apache.kafka.common.metrics.MeasurableStat stat) {
    SinkMetrics.register(() -> sensor.add(name(name, description), stat));
  }

  void committed(TableFlush flush, long commitMs) {
    long now = System.currentTimeMillis();
    events.record(flush.events(), now);
    dataFiles.record(flush.files().dataFiles().length, now);
    // a flush's position deletes are written at its commit: one per data file they delete from
    deleteFiles.record(
        flush.files().deleteFiles().length + flush.deletedRows().dataFiles().size(), now);
    commits.record(commitMs, now);
    filledFromBuffer.record(flush.filled().fromBuffer(), now);
    filledFromTable.record(flush.filled().fromTable(), now);
    keptAsText.record(flush.keptAsText(), now);
    newKeys.record(flush.newKeys(), now);
    byPosition.record(flush.deletedRows().rows(), now);
    byEquality.record(flush.equalityDeletes(), now);
    lastCommitMs = now;
    long sourceMs = flush.watermark().commitTimeMs();
    if (sourceMs > 0) {
      watermarkMs = Math.max(watermarkMs, sourceMs);
      latencyMs = now - sourceMs;
    }
  }

  void lookedUp(int keys, long millis) {
    lookups.record(millis);
  }

  private java.util.function.LongSupplier lastCommitMs() {
    return () -> lastCommitMs < 0 ? -1 : System.currentTimeMillis() - lastCommitMs;
  }

  private void gauge(String name, String description, java.util.function.LongSupplier value) {
    SinkMetrics.tableGauge(metrics, table, name, description, value);
  }

  private MetricName name(String name, String description) {
    return SinkMetrics.tableMetric(metrics, table, name, description);
  }
}
