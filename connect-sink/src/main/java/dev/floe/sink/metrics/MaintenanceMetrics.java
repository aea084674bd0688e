package dev.floe.sink.metrics;

import dev.floe.common.metrics.PluginMetricsRegistry;
import dev.floe.sink.maintain.MaintenanceRun;
import dev.floe.sink.maintain.TableFiles;
import java.util.function.LongSupplier;

/**
 * One table's shape and upkeep, tagged {@code table=<namespace.table>}, reported by the task that
 * maintains it: the files readers must open and join as the last maintenance run found them, and
 * what the runs did.
 */
final class MaintenanceMetrics {
  private final PluginMetricsRegistry metrics;
  private final String table;
  private volatile long dataFiles = -1;
  private volatile long equalityDeleteFiles = -1;
  private volatile long positionDeleteFiles = -1;
  private volatile long averageFileBytes = -1;
  private volatile long lastRunMs = -1;
  private volatile long lastRunFailed;
  private volatile long runs;
  private volatile long compactions;
  private volatile long expired;
  private volatile long orphans;

  MaintenanceMetrics(PluginMetricsRegistry metrics, String table) {
    this.metrics = metrics;
    this.table = table;
    gauge("data-files", "Data files in the table at the last maintenance run.", () -> dataFiles);
    gauge(
        "equality-delete-files",
        "Equality delete files in the table at the last maintenance run (before its compaction).",
        () -> equalityDeleteFiles);
    gauge(
        "position-delete-files",
        "Position delete files and deletion vectors at the last maintenance run.",
        () -> positionDeleteFiles);
    gauge(
        "average-data-file-bytes",
        "Average data file size at the last maintenance run.",
        () -> averageFileBytes);
    gauge(
        "maintenance-last-run-age-ms",
        "Milliseconds since the table's last maintenance run ended.",
        () -> lastRunMs < 0 ? -1 : System.currentTimeMillis() - lastRunMs);
    gauge(
        "maintenance-last-run-failed",
        "1 when the last maintenance run failed (the worker log says why), else 0.",
        () -> lastRunFailed);
    gauge("maintenance-runs-total", "Maintenance runs of the table.", () -> runs);
    gauge("compactions-total", "Compactions committed to the table.", () -> compactions);
    gauge("snapshots-expired-total", "Snapshots expired by maintenance.", () -> expired);
    gauge(
        "orphan-files-deleted-total",
        "Files under the table's location that nothing referenced, deleted by maintenance.",
        () -> orphans);
  }

  synchronized void maintained(TableFiles before, MaintenanceRun run) {
    if (before != null) {
      dataFiles = before.tasks().size();
      equalityDeleteFiles = before.equalityDeleteFiles();
      positionDeleteFiles = before.positionDeleteFiles();
      averageFileBytes = before.averageDataFileBytes();
    }
    runs++;
    compactions += run.compacted() ? 1 : 0;
    expired += run.snapshotsExpired();
    orphans += run.orphansDeleted();
    lastRunFailed = run.failure() == null ? 0 : 1;
    lastRunMs = System.currentTimeMillis();
  }

  private void gauge(String name, String description, LongSupplier value) {
    SinkMetrics.tableGauge(metrics, table, name, description, value);
  }
}
