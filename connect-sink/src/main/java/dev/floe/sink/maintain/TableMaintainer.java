package dev.floe.sink.maintain;

import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each table's maintenance on a thread of its own, off the path of records and commits. One
 * task maintains a table: the one that commits partition 0 of a topic feeding it (Kafka gives a
 * partition to one task at a time). Two maintainers of one table, for a moment during a rebalance
 * or when several topics feed it, cost work, not correctness: Iceberg's optimistic commits let one
 * rewrite win and the other fail validation.
 */
public final class TableMaintainer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TableMaintainer.class);
  private static final long TICK_MS = 1_000;

  /** Hears what each run found and did, for the task's metrics. */
  public interface Listener {
    void maintained(String table, TableFiles before, MaintenanceRun run);
  }

  private final Catalog catalog;
  private final MaintenanceSettings defaults;
  private final Listener listener;
  // table → the partitions 0 this task committed to it
  private final Map<TableIdentifier, Set<TopicPartition>> maintained = new ConcurrentHashMap<>();
  private final Map<TableIdentifier, Long> nextRunMs = new ConcurrentHashMap<>();
  // when each table's orphan files are looked for next: a look walks every snapshot's manifests
  // and lists the table's location, so it runs on a cadence of its own (a day by default)
  private final Map<TableIdentifier, Long> orphansDueMs = new ConcurrentHashMap<>();
  private final ScheduledExecutorService thread;

  public TableMaintainer(Catalog catalog, MaintenanceSettings defaults, Listener listener) {
    this.catalog = catalog;
    this.defaults = defaults;
    this.listener = listener;
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "floe-table-maintenance");
              t.setDaemon(true);
              return t;
            });
    if (defaults.enabled()) {
      thread.scheduleWithFixedDelay(this::runDue, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * A flush covering {@code partitions} landed in {@code table} (named catalog.namespace.table).
   */
  public void committed(String table, Collection<TopicPartition> partitions) {
    for (TopicPartition tp : partitions) {
      if (tp.partition() == 0) {
        TableIdentifier id = TableIdentifier.parse(table.substring(table.indexOf('.') + 1));
        maintained.computeIfAbsent(id, t -> ConcurrentHashMap.newKeySet()).add(tp);
        nextRunMs.putIfAbsent(id, System.currentTimeMillis() + defaults.intervalMs());
      }
    }
  }

  /** The partitions moved to other tasks: so does the maintenance of the tables they fed. */
  public void revoked(Collection<TopicPartition> partitions) {
    for (TableIdentifier table : new HashSet<>(maintained.keySet())) {
      Set<TopicPartition> feeding = maintained.get(table);
      feeding.removeAll(partitions);
      if (feeding.isEmpty()) {
        maintained.remove(table);
        nextRunMs.remove(table);
      }
    }
  }

  private void runDue() {
    long now = System.currentTimeMillis();
    for (TableIdentifier id : maintained.keySet()) {
      Long due = nextRunMs.get(id);
      if (due == null || due > now) {
        continue;
      }
      long interval = defaults.intervalMs();
      try {
        Table table = catalog.loadTable(id);
        MaintenanceSettings settings = defaults.forTable(table.properties());
        interval = settings.intervalMs();
        if (settings.enabled()) {
          boolean orphansDue = now >= orphansDueMs.getOrDefault(id, 0L);
          MaintenanceRun run =
              new MaintenanceRun(table, orphansDue ? settings : settings.withoutOrphanFiles());
          TableFiles before = run.run(now);
          if (run.lookedForOrphans()) {
            orphansDueMs.put(id, now + settings.orphanIntervalMs());
          }
          listener.maintained(id.toString(), before, run);
        }
      } catch (NoSuchTableException gone) {
        maintained.remove(id);
      } catch (RuntimeException e) {
        // maintenance never stops the sink: the next run tries again
        LOG.warn("Maintenance of {} failed; it runs again in {} ms", id, interval, e);
        listener.maintained(id.toString(), null, MaintenanceRun.failed(e));
      }
      long next = System.currentTimeMillis() + interval;
      nextRunMs.computeIfPresent(id, (t, before) -> next);
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
