package dev.floe.sink.index;

import static dev.floe.sink.event.ChangeEvents.parse;
import static dev.floe.sink.event.ChangeEvents.record;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.floe.sink.commit.CommitCycle;
import dev.floe.sink.commit.CommitCycleBuilder;
import dev.floe.sink.maintain.TableFiles;
import dev.floe.sink.route.TableProvisioner;
import dev.floe.sink.route.TableRouter;
import dev.floe.sink.write.TableWriters;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Test;

/**
 * A flush of many new keys fills the key index as it writes them, so by its end the index may
 * "maybe hold" a key it certainly did not hold when the flush began (a Bloom filter's false
 * positive). The flush decides which keys are new before it adds any: none of them is looked for.
 * Found by SinkApplyBenchmark (100 000-event flushes), which failed on it.
 */
class ManyNewKeysTest {
  @Test
  void keysNewWhenTheFlushBeganStayNew() throws Exception {
    InMemoryCatalog catalog = new InMemoryCatalog();
    catalog.initialize("mem", Map.of());
    TableWriters writers =
        new TableWriters(new TableRouter("cdc"), new TableProvisioner(catalog, true, 2), 1);
    CommitCycle task = CommitCycleBuilder.of(writers, "sink").flushMaxRecords(200_000).build();
    Map<Integer, String> expected = new HashMap<>();
    long offset = 0;
    for (int id = 0; id < 100_000; id++) {
      task.apply(parse(record("c", id, "v", 0, offset++, offset)));
      expected.put(id, "v");
    }
    task.commit();
    Random random = new Random(1);
    for (int i = 0; i < 20_000; i++) {
      int id = random.nextInt(100_000);
      task.apply(parse(record("u", id, "w" + i, 0, offset++, offset)));
      expected.put(id, "w" + i);
    }
    task.commit();

    Table table = catalog.loadTable(TableIdentifier.of("cdc", "public_items"));
    Map<Integer, String> read = new HashMap<>();
    try (CloseableIterable<Record> rows = IcebergGenerics.read(table).build()) {
      rows.forEach(row -> read.put((Integer) row.getField("id"), (String) row.getField("name")));
    }
    assertEquals(expected, read);
    assertEquals(0, TableFiles.of(table, table.currentSnapshot()).equalityDeleteFiles());
  }
}
