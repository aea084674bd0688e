package dev.floe.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.floe.local.ConnectRestClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The worker is killed (SIGKILL) at random points while a random workload runs, once exactly
 * between writing a flush's files and committing them, and restarted each time; at the end every
 * Iceberg table equals its Postgres table, with no duplicate keys and nothing missing. Then the
 * sink's consumer offsets are reset to the beginning: the replay changes no table. The sink's own
 * maintenance runs every few seconds throughout (compactions racing the upserts, kills and the
 * replay) and leaves the tables without delete files and within their snapshot retention.
 */
class CrashRecoveryIT extends PipelineTestBase {
  // the backlog after the kills, drained in flushes of 300 events, each finding the rows it deletes
  // by position (a read per table and flush that equality deletes did not need)
  private static final Duration CATCH_UP = Duration.ofSeconds(360);
  private static final long MAX_AGE_MS = 90_000;

  @BeforeAll
  static void startPipeline() throws Exception {
    pipeline = PipelineHarness.startWithForkedWorker();
  }

  @Test
  void killedWorkersLoseNothingAndDoubleNothing() throws Exception {
    long seed = Long.getLong("floe.it.seed", System.nanoTime());
    System.out.println(
        "CrashRecoveryIT seed " + seed + " (rerun with -Dfloe.it.seed=" + seed + ")");
    Random chaos = new Random(seed);
    RandomWorkload workload = new RandomWorkload(seed, pipeline::postgres, true);
    pipeline.sql(RandomWorkload.DDL);
    workload.run(200); // rows the snapshot will carry
    Map<String, String> source = new HashMap<>();
    source.put("topic.prefix", "chaos");
    source.put("schema.include.list", "chaos");
    source.put("slot.name", "chaos_slot");
    source.put("publication.name", "chaos_publication");
    // the partitioned table's root only (Floe publishes via the partition root): every partition's
    // changes arrive on the root's topic and land in one Iceberg table, cdc.chaos_readings
    source.put("table.exclude.list", "chaos\\.readings_z.*");
    // three partitions per topic, read by two sink tasks: both tasks write the same tables...
    source.put("topic.creation.default.partitions", "3");
    // ...except the truncated table: a truncate is ordered only within its partition
    source.put("topic.creation.groups", "ordered");
    source.put("topic.creation.ordered.include", "chaos\\.chaos\\.accounts");
    source.put("topic.creation.ordered.partitions", "1");
    source.put("topic.creation.ordered.replication.factor", "1");
    pipeline.startSource("chaos-source", source);
    Map<String, String> sink = new HashMap<>();
    sink.put("topics.regex", "chaos\\.chaos\\..*");
    sink.put("tasks.max", "2");
    sink.put("commit.interval.ms", "500");
    sink.put("flush.max.records", "300");
    sink.put("iceberg.table.cdc.chaos_events.partition-by", "kind");
    // the sink's own maintenance in compressed time, racing the upserts, kills and replay: a
    // compaction whenever a delete file exists, snapshots kept for 90 s
    sink.put("iceberg.maintenance.interval.ms", "3000");
    sink.put("iceberg.maintenance.compaction.min-delete-files", "1");
    // and whenever two small files share a partition: once idle, one file per partition (with the
    // default of 20 a last flush of inserts after the last compaction would stay a second file)
    sink.put("iceberg.maintenance.compaction.min-small-files", "2");
    sink.put("iceberg.maintenance.rewrite-manifests.min-count", "10");
    sink.put("iceberg.maintenance.expire-snapshots.max-age.ms", String.valueOf(MAX_AGE_MS));
    sink.put("commit.retry.timeout.ms", "30000");
    // to compare with the equality-delete path: -Dfloe.it.position-deletes=false
    sink.put(
        "iceberg.tables.position-deletes", System.getProperty("floe.it.position-deletes", "true"));
    pipeline.startSink("chaos-sink", sink);
    // what readers see while it all runs: files, deletes and snapshots, every 2 s
    Map<String, TableShapes> shapes = new java.util.LinkedHashMap<>();
    for (String table : new String[] {"accounts", "events", "readings"}) {
      shapes.put(table, new TableShapes(pipeline::table, "cdc.chaos_" + table, 2_000));
    }

    AtomicBoolean crashesDone = new AtomicBoolean();
    CompletableFuture<Void> writes =
        CompletableFuture.runAsync(
            () -> {
              try {
                workload.runUntil(crashesDone::get, 7_000, 2); // over 20,000 changes
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    for (int kill = 0; kill < 3; kill++) {
      Thread.sleep(2_000 + chaos.nextInt(4_000));
      pipeline.stack.killWorker();
      Thread.sleep(chaos.nextInt(2_000));
      pipeline.stack.startWorker(Map.of());
    }
    // a crash between writing a flush's files and committing its snapshot
    pipeline.stack.killWorker();
    pipeline.stack.startWorker(Map.of("floe.failpoint.halt-before-commit", "3"));
    Waits.until(
        Duration.ofSeconds(120),
        "the worker to halt at the failpoint",
        () -> !pipeline.stack.worker().isAlive(),
        () -> "still alive");
    pipeline.stack.killWorker();
    pipeline.stack.startWorker(Map.of());
    crashesDone.set(true);
    writes.get();
    workload.finishWithInserts(50); // a late truncate must not leave too little to compare
    System.out.println("CrashRecoveryIT applied " + workload.operations + " operations");
    assertTrue(workload.operations >= 20_000, "tens of thousands of changes");

    for (String table : new String[] {"accounts", "events"}) {
      TableSnapshot rows =
          pipeline.awaitSameRows("chaos." + table, "cdc.chaos_" + table, "id", CATCH_UP);
      assertEquals(0, rows.duplicateKeys);
      assertTrue(rows.rowsByKey.size() > 20, "the workload leaves rows to compare");
    }
    TableSnapshot readings =
        pipeline.awaitSameRowsByKeys(
            "chaos.readings", "cdc.chaos_readings", new String[] {"id", "zone"}, CATCH_UP);
    assertEquals(0, readings.duplicateKeys);
    for (String table : new String[] {"accounts", "events", "readings"}) {
      maintenanceLeftTheTableLean("cdc.chaos_" + table);
    }
    replayFromTheBeginningChangesNothing();
    shapes.forEach((table, sampled) -> stayedBounded(table, sampled));
  }

  /**
   * All along (kills, compactions racing upserts, the replay), the table stayed cheap to read: its
   * data files bounded (without compaction they grow with every flush), and no snapshot kept much
   * longer than the retention.
   */
  private static void stayedBounded(String table, TableShapes sampled) {
    sampled.close();
    java.util.List<TableShapes.Shape> series = sampled.shapes();
    System.out.println("CrashRecoveryIT " + table + " over time:");
    series.forEach(shape -> System.out.println("  " + shape));
    assertTrue(series.size() > 20, table + ": sampled all along (" + series.size() + ")");
    int maxFiles = series.stream().mapToInt(TableShapes.Shape::dataFiles).max().orElse(0);
    assertTrue(maxFiles <= 250, table + ": at most 250 data files at any time, was " + maxFiles);
    long maxAge = series.stream().mapToLong(TableShapes.Shape::oldestSnapshotAgeMs).max().orElse(0);
    assertTrue(
        maxAge <= MAX_AGE_MS + 30_000,
        table + ": no snapshot kept far beyond the retention, oldest was " + maxAge + " ms");
  }

  /**
   * Once the sink is idle, its maintenance leaves no delete file for readers to join, one data file
   * per partition, and no snapshot older than the retention before the sink's last commit.
   */
  private void maintenanceLeftTheTableLean(String name) throws Exception {
    String[] seen = new String[1];
    Waits.until(
        Duration.ofSeconds(120),
        name + " compacted and expired",
        () -> {
          Table table = pipeline.table(name);
          Map<String, Integer> filesPerPartition = new HashMap<>();
          int deletes = 0;
          try (CloseableIterable<FileScanTask> files = table.newScan().planFiles()) {
            for (FileScanTask file : files) {
              filesPerPartition.merge(file.file().partition().toString(), 1, Integer::sum);
              deletes += file.deletes().size();
            }
          }
          long newestCommit = -1;
          long oldest = Long.MAX_VALUE;
          int snapshots = 0;
          for (Snapshot snapshot : table.snapshots()) {
            snapshots++;
            oldest = Math.min(oldest, snapshot.timestampMillis());
            if (snapshot.summary().containsKey("floe.kafka.next-offsets")) {
              newestCommit = Math.max(newestCommit, snapshot.timestampMillis());
            }
          }
          seen[0] =
              deletes
                  + " deletes, files per partition "
                  + filesPerPartition
                  + ", "
                  + snapshots
                  + " snapshots, oldest "
                  + (newestCommit - oldest)
                  + " ms before the last commit";
          return deletes == 0
              && filesPerPartition.values().stream().allMatch(n -> n == 1)
              && newestCommit - oldest <= MAX_AGE_MS + 10_000;
        },
        () -> seen[0]);
    System.out.println("CrashRecoveryIT " + name + ": " + seen[0]);
  }

  private void replayFromTheBeginningChangesNothing() throws Exception {
    Map<String, Long> snapshotsBefore = currentSnapshots();
    ConnectRestClient rest = pipeline.stack.worker().rest();
    JsonNode committed = awaitCommittedOffsets(rest, null);
    rest.put("connectors/chaos-sink/stop", Map.of());
    Waits.until(
        Duration.ofSeconds(60),
        "the sink to stop",
        () -> "STOPPED".equals(rest.status("chaos-sink").path("connector").path("state").asText()),
        () -> String.valueOf(rest.status("chaos-sink")));
    rest.delete("connectors/chaos-sink/offsets");
    rest.put("connectors/chaos-sink/resume", Map.of());
    awaitCommittedOffsets(rest, committed); // the whole topic was read again
    assertEquals(snapshotsBefore, currentSnapshots(), "the replay committed nothing new");
    for (String table : new String[] {"accounts", "events"}) {
      pipeline.awaitSameRows("chaos." + table, "cdc.chaos_" + table, "id", CATCH_UP);
    }
    pipeline.awaitSameRowsByKeys(
        "chaos.readings", "cdc.chaos_readings", new String[] {"id", "zone"}, CATCH_UP);
  }

  private JsonNode awaitCommittedOffsets(ConnectRestClient rest, JsonNode expected)
      throws Exception {
    JsonNode[] seen = new JsonNode[1];
    Waits.until(
        Duration.ofSeconds(120),
        "the sink's consumer offsets " + (expected == null ? "to settle" : "to reach " + expected),
        () -> {
          JsonNode now = rest.get("connectors/chaos-sink/offsets").path("offsets");
          if (expected != null) {
            seen[0] = now;
            return now.equals(expected);
          }
          Thread.sleep(3_000); // settled: the same offsets after more than two offset commits
          JsonNode later = rest.get("connectors/chaos-sink/offsets").path("offsets");
          seen[0] = later;
          return now.size() > 0 && now.equals(later);
        },
        () -> String.valueOf(seen[0]));
    return seen[0];
  }

  /** Each table's newest sink commit (maintenance commits rewrites, which are not changes). */
  private Map<String, Long> currentSnapshots() {
    Map<String, Long> ids = new HashMap<>();
    for (String name : new String[] {"accounts", "events", "readings"}) {
      Table table = pipeline.table("cdc.chaos_" + name);
      long newest = -1;
      for (Snapshot snapshot : table.snapshots()) {
        if (snapshot.summary().containsKey("floe.kafka.next-offsets")) {
          newest = snapshot.snapshotId();
        }
      }
      ids.put(name, newest);
    }
    return ids;
  }
}
