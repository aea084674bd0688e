package dev.floe.sink.maintain;

import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.util.ThreadPools;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the tables' maintenance off the path of records and commits, on a few threads of its own: a
 * clock that finds the tables due, and {@value #RUNNERS} runners, so that a large table's long
 * compaction does not hold up the other tables' runs (a table never runs twice at once). One task
 * maintains a table: the one that holds partition 0 of a topic feeding it (Kafka gives a partition
 * to one task at a time), from its assignment on. Two maintainers of one table, for a moment during
 * a rebalance or when several topics feed it, cost work, not correctness: Iceberg's optimistic
 * commits let one rewrite win and the other fail validation.
 */
public final class TableMaintainer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TableMaintainer.class);
  private static final long TICK_MS = 1_000;

  /** Tables maintained at once, per task: most runs wait on the object store and the catalog. */
  static final int RUNNERS = 2;

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
  private final ScheduledExecutorService clock;
  private final java.util.concurrent.ExecutorService runners;
  private final Set<TableIdentifier> running = ConcurrentHashMap.newKeySet();

  public TableMaintainer(Catalog catalog, MaintenanceSettings defaults, Listener listener) {
    this.catalog = catalog;
    this.defaults = defaults;
    this.listener = listener;
    // Iceberg's pools: daemon threads, named, each started by (and with the class loader of) the
    // thread that needs it
    this.clock = ThreadPools.newScheduledPool("floe-table-maintenance-clock", 1);
    this.runners = ThreadPools.newFixedThreadPool("floe-table-maintenance", RUNNERS);
    if (defaults.enabled()) {
      clock.scheduleWithFixedDelay(this::runDue, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Records of {@code partitions} were committed to, or found already in, {@code table} (named
   * catalog.namespace.table).
   */
  public void fed(String table, Collection<TopicPartition> partitions) {
    for (TopicPartition tp : partitions) {
      if (tp.partition() == 0) {
        feeding(TableIdentifier.parse(table.substring(table.indexOf('.') + 1)), tp);
      }
    }
  }

  /**
   * Partition 0 of a topic, assigned to this task, feeds {@code table}: known before its first
   * commit, so a task taking over from a failed one maintains the table even when nothing new
   * arrives (a wrong guess finds no table, or costs a second maintainer's work).
   */
  public void assigned(TableIdentifier table, TopicPartition partition) {
    if (partition.partition() == 0) {
      feeding(table, partition);
    }
  }

  private void feeding(TableIdentifier id, TopicPartition tp) {
    maintained.computeIfAbsent(id, t -> ConcurrentHashMap.newKeySet()).add(tp);
    nextRunMs.putIfAbsent(id, System.currentTimeMillis() + defaults.intervalMs());
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

  /** Hands each table due, and not running already, to a runner. */
  private void runDue() {
    long now = System.currentTimeMillis();
    for (TableIdentifier id : maintained.keySet()) {
      Long due = nextRunMs.get(id);
      if (due == null || due > now || !running.add(id)) {
        continue;
      }
      try {
        runners.execute(
            () -> {
              try {
                run(id);
              } finally {
                running.remove(id);
              }
            });
      } catch (java.util.concurrent.RejectedExecutionException closing) {
        running.remove(id);
      }
    }
  }

  /** One run of one table's maintenance, on a runner. */
  private void run(TableIdentifier id) {
    long now = System.currentTimeMillis();
    long interval = defaults.intervalMs();
    try {
      Table table = catalog.loadTable(id);
      MaintenanceSettings settings = defaults.forTable(table.properties());
      interval = settings.intervalMs();
      if (settings.enabled()) {
        boolean orphansDue = now >= orphansDueMs.getOrDefault(id, 0L);
        MaintenanceRun run = new MaintenanceRun(table, settings, orphansDue);
        TableFiles before = run.run(now);
        if (run.lookedForOrphans()) {
          orphansDueMs.put(id, now + settings.orphanIntervalMs());
        }
        listener.maintained(id.toString(), before, run);
      }
    } catch (NoSuchTableException gone) {
      // dropped, or not created yet (a guess from an assignment): a commit adds it again
      maintained.remove(id);
      nextRunMs.remove(id);
      return;
    } catch (RuntimeException e) {
      // maintenance never stops the sink: the next run tries again
      LOG.warn("Maintenance of {} failed; it runs again in {} ms", id, interval, e);
      listener.maintained(id.toString(), null, MaintenanceRun.failed(e));
    }
    long next = System.currentTimeMillis() + interval;
    nextRunMs.computeIfPresent(id, (t, before) -> next);
  }

  @Override
  public void close() {
    clock.shutdownNow();
    runners.shutdownNow();
    try {
      clock.awaitTermination(30, TimeUnit.SECONDS);
      runners.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
