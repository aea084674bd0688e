package dev.floe.local;

import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * Prints one line every few seconds: the connectors' states and, per Iceberg table, the change
 * events applied (summed from the sink's snapshot summaries) and the age of the last commit. Read
 * from the catalog, as any Iceberg reader would see it.
 */
final class StatusReporter implements AutoCloseable {
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

  private final LocalStack stack;
  private final Catalog catalog;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "floe-local-status");
            t.setDaemon(true);
            return t;
          });
  private final Map<TableIdentifier, Long> appliedEvents = new HashMap<>();
  private final Map<TableIdentifier, Set<Long>> countedSnapshots = new HashMap<>();

  private StatusReporter(LocalStack stack) {
    this.stack = stack;
    this.catalog = CatalogUtil.buildIcebergCatalog("floe", stack.catalogProperties(), null);
  }

  static StatusReporter start(LocalStack stack, int everySeconds) {
    StatusReporter reporter = new StatusReporter(stack);
    reporter.timer.scheduleWithFixedDelay(
        reporter::printLine, everySeconds, everySeconds, TimeUnit.SECONDS);
    return reporter;
  }

  private void printLine() {
    StringBuilder line = new StringBuilder(LocalTime.now().format(CLOCK));
    try {
      line.append(" source ")
          .append(state("floe-postgres-source"))
          .append(", sink ")
          .append(state("floe-iceberg-sink"));
      for (String table : tables()) {
        line.append(" | ").append(table);
      }
    } catch (Exception e) {
      line.append(" status unavailable: ").append(e.getMessage());
    }
    System.out.println(line);
  }

  private String state(String connector) throws Exception {
    var status = stack.worker().rest().status(connector);
    if (status == null) {
      return "starting";
    }
    String state = status.path("connector").path("state").asText();
    for (var task : status.path("tasks")) {
      if (!"RUNNING".equals(task.path("state").asText())) {
        state += "/task " + task.path("state").asText();
      }
    }
    return state;
  }

  private List<String> tables() {
    List<String> out = new ArrayList<>();
    Namespace namespace = Namespace.of("cdc");
    if (catalog instanceof org.apache.iceberg.catalog.SupportsNamespaces ns
        && !ns.namespaceExists(namespace)) {
      out.add("no tables yet");
      return out;
    }
    for (TableIdentifier id : catalog.listTables(namespace)) {
      Table table = catalog.loadTable(id);
      Snapshot current = table.currentSnapshot();
      if (current == null) {
        out.add(id.name() + " empty");
        continue;
      }
      countNewSnapshots(id, table);
      Duration age = Duration.ofMillis(System.currentTimeMillis() - current.timestampMillis());
      out.add(
          id.name()
              + " "
              + appliedEvents.getOrDefault(id, 0L)
              + " events, last commit "
              + age.toSeconds()
              + "s ago");
    }
    return out;
  }

  private void countNewSnapshots(TableIdentifier id, Table table) {
    Set<Long> counted = countedSnapshots.computeIfAbsent(id, k -> new HashSet<>());
    for (Snapshot snapshot : table.snapshots()) {
      if (counted.add(snapshot.snapshotId())) {
        String events = snapshot.summary().get("floe.events");
        appliedEvents.merge(id, events == null ? 0L : Long.parseLong(events), Long::sum);
      }
    }
  }

  @Override
  public void close() throws Exception {
    timer.shutdownNow();
    if (catalog instanceof AutoCloseable closeable) {
      closeable.close();
    }
  }
}
