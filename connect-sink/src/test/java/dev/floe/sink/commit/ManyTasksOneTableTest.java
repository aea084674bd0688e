package dev.floe.sink.commit;

import static dev.floe.sink.event.ChangeEvents.parse;
import static dev.floe.sink.event.ChangeEvents.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.floe.sink.route.TableProvisioner;
import dev.floe.sink.write.TableRows;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.junit.jupiter.api.Test;

/**
 * Eight tasks, one partition each, commit to one table as fast as they can: other tasks' commits
 * touch other keys, so none of them conflicts, none fails, and the table holds every key's last
 * state. (A table-wide conflict check failed every commit that raced another one.)
 */
class ManyTasksOneTableTest {
  private static final int TASKS = 8;
  private static final int PER_COMMIT = 20;

  @Test
  void eightTasksCommittingOneTableNeverFailAndLoseNothing() throws Exception {
    InMemoryCatalog catalog = new InMemoryCatalog();
    catalog.initialize("mem", Map.of());
    new TableProvisioner(catalog, true, 2)
        .loadOrCreate(TableIdentifier.of("cdc", "public_items"), parse(record("c", 0, "x", 0)));
    Map<Integer, String> expected = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(TASKS);
    long until = System.currentTimeMillis() + 8_000;
    List<Future<Integer>> commits = new ArrayList<>();
    for (int t = 0; t < TASKS; t++) {
      int partition = t;
      commits.add(
          pool.submit(
              () -> {
                CommitCycle task = task(catalog);
                Random random = new Random(partition);
                long offset = 0;
                int done = 0;
                while (System.currentTimeMillis() < until) {
                  for (int i = 0; i < PER_COMMIT; i++) {
                    int key = partition * 1_000 + random.nextInt(100); // this task's keys only
                    String name = "p" + partition + "-" + offset;
                    task.apply(parse(record("u", key, name, partition, offset++, offset)));
                    expected.put(key, name);
                  }
                  task.commit();
                  done++;
                }
                return done;
              }));
    }
    int total = 0;
    for (Future<Integer> done : commits) {
      total += done.get(); // rethrows a task's failure
    }
    pool.shutdown();
    pool.awaitTermination(10, TimeUnit.SECONDS);
    assertTrue(total > TASKS, "each task committed more than once: " + total);
    List<String> rows =
        TableRows.of(catalog.loadTable(TableIdentifier.of("cdc", "public_items")), "id", "name");
    List<String> want = new ArrayList<>();
    new TreeMap<>(expected).forEach((key, name) -> want.add(key + "|" + name));
    want.sort(null);
    assertEquals(want, rows);
  }

  private static CommitCycle task(InMemoryCatalog catalog) {
    return UpsertCycles.retrying(catalog);
  }
}
