package dev.floe.sink;

import static dev.floe.sink.event.ChangeEvents.keyChange;
import static dev.floe.sink.event.ChangeEvents.record;
import static dev.floe.sink.event.ChangeEvents.widerInsert;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.floe.sink.schema.UnavailableValues;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records a task does not apply when they come are read again, and nothing else is lost: a change
 * held back until what came before it lands, and a batch that came after the task dropped its
 * buffer. A worker stand-in plays Connect's part: polls, seeks, pauses and the poll timeout.
 */
class ReadingAgainTest {
  private static final String TOAST = UnavailableValues.DEBEZIUM_DEFAULT;
  private static final String TOPIC = "it.public.items";

  @TempDir Path warehouse;
  private final Map<Integer, List<SinkRecord>> log = new HashMap<>();
  private final List<String> refused = new ArrayList<>();

  /**
   * Two tasks meet a new column while each buffers a primary-key change's new row that waits for
   * the other's old row, which lies on a partition the other has not read yet. Each task holds the
   * partition with the new column back (rewound to it, paused) and reads its other partition, so
   * both old rows come, both new rows are completed, and the held changes land when offered again:
   * nothing waits for its timeout, nothing is refused.
   */
  @Test
  void twoTasksHoldANewColumnBackWhileTheyReadTheOldRowsTheOtherWaitsFor() throws Exception {
    SinkRecord[] oneToEleven = keyChange(1, 11, TOAST, 2, 1, 1, 0, 500);
    SinkRecord[] twoToTwelve = keyChange(2, 12, TOAST, 3, 1, 0, 0, 600);
    append(2, record("c", 1, large("one"), 2, 0, 100), oneToEleven[0], oneToEleven[1]);
    append(3, record("c", 2, large("two"), 3, 0, 101), twoToTwelve[0], twoToTwelve[1]);
    append(0, twoToTwelve[2], widerInsert(20, 0, 1, 700), widerInsert(22, 0, 2, 702));
    append(1, oneToEleven[2], widerInsert(21, 1, 1, 701));

    Worker first = new Worker(0, 2);
    Worker second = new Worker(1, 3);
    first.poll(1, 2); // key 1's first row, committed (flush.max.records=1)
    second.poll(1, 3);
    first.poll(2, 0); // key 12, waiting for key 2's old row; then the new column: held back
    second.poll(2, 1);
    assertTrue(first.paused.contains(partition(0)), "held back: " + first.paused);
    assertTrue(second.paused.contains(partition(1)), "held back: " + second.paused);
    assertTrue(
        first.timeoutMs > 0 && first.timeoutMs <= 250, "put comes again: " + first.timeoutMs);
    assertEquals(Map.of(1, large("one"), 2, large("two")), rows(), "nothing lands out of order");
    // a record of a held partition fetched before the pause: not applied, read again in turn
    first.task.put(List.of(log.get(0).get(2)));
    assertEquals(1L, first.positions.get(partition(0)));

    for (int round = 0; round < 20 && (rows().size() < 5 || !rows().containsKey(22)); round++) {
      first.poll(10, 0, 2); // the old row of key 1 is read from the partition not held
      second.poll(10, 1, 3);
      first.sleepUntilDue();
    }
    first.task.close(first.assigned);
    second.task.close(second.assigned);
    first.task.stop();
    second.task.stop();
    assertEquals(
        Map.of(11, large("one"), 12, large("two"), 20, "new", 21, "new", 22, "new"),
        rows(),
        "both key changes complete, both new rows");
    assertTrue(refused.isEmpty(), refused.toString());
    assertTrue(first.paused.isEmpty() && second.paused.isEmpty(), "nothing stays paused");
  }

  /**
   * A task still holding a partition another task committed further (a late rebalance) drops its
   * buffer at its commit and reads that partition again; the next batch also brings the first
   * records of its other partition, which had nothing buffered: they are applied, not skipped.
   */
  @Test
  void theBatchAfterADroppedBufferLosesNothingOfThePartitionsItDidNotRewind() throws Exception {
    append(0, record("c", 1, "one", 0, 0, 100), record("c", 2, "two", 0, 1, 101));
    append(0, record("u", 1, "uno", 0, 2, 102));
    append(1, record("c", 3, "three", 1, 0, 103), record("c", 4, "four", 1, 1, 104));
    Worker late = new Worker(Map.of("flush.max.records", "3"), 0, 1);
    Worker owner = new Worker(Map.of(), 0);
    late.poll(2, 0); // buffered, not committed
    owner.poll(10, 0);
    owner.task.close(owner.assigned); // commits partition 0 to its end
    owner.task.stop();
    late.poll(10, 0); // its third record: the commit finds partition 0 committed further
    late.poll(10, 0, 1); // partition 1's records come now
    late.poll(10, 0, 1);
    late.task.close(late.assigned);
    late.task.stop();
    assertEquals(Map.of(1, "uno", 2, "two", 3, "three", 4, "four"), rows());
  }

  private void append(int partition, SinkRecord... records) {
    log.computeIfAbsent(partition, p -> new ArrayList<>()).addAll(List.of(records));
  }

  private static TopicPartition partition(int number) {
    return new TopicPartition(TOPIC, number);
  }

  private static String large(String text) {
    return text + "-".repeat(120);
  }

  private Map<Integer, String> rows() throws Exception {
    Catalog catalog =
        CatalogUtil.buildIcebergCatalog(
            "read",
            Map.of("type", "hadoop", "warehouse", warehouse.toUri().toString()),
            new org.apache.hadoop.conf.Configuration());
    Map<Integer, String> rows = new TreeMap<>();
    try (CloseableIterable<Record> read =
        IcebergGenerics.read(catalog.loadTable(TableIdentifier.of("cdc", "public_items")))
            .build()) {
      read.forEach(r -> rows.put((Integer) r.getField("id"), (String) r.getField("name")));
    }
    return rows;
  }

  /** Connect's part for one task: its partitions, their positions, pauses, seeks and timeout. */
  private final class Worker implements SinkTaskContext {
    final IcebergCdcSinkTask task = new IcebergCdcSinkTask();
    final Set<TopicPartition> assigned = new HashSet<>();
    final Set<TopicPartition> paused = new HashSet<>();
    final Map<TopicPartition, Long> positions = new HashMap<>();
    final org.apache.kafka.common.metrics.Metrics metrics =
        new org.apache.kafka.common.metrics.Metrics();
    long timeoutMs = -1;

    Worker(int... partitions) {
      this(Map.of("flush.max.records", "1"), partitions);
    }

    Worker(Map<String, String> settings, int... partitions) {
      for (int p : partitions) {
        assigned.add(partition(p));
        positions.put(partition(p), 0L);
      }
      Map<String, String> props = new HashMap<>();
      props.put("name", "sink");
      props.put("iceberg.catalog.type", "hadoop");
      props.put("iceberg.catalog.warehouse", warehouse.toUri().toString());
      props.put("commit.interval.ms", "3600000");
      props.put("errors.tolerance", "all");
      props.putAll(settings);
      task.initialize(this);
      task.start(props);
      task.open(assigned);
    }

    /** One poll of up to {@code max} records of each of {@code partitions} not paused, then put. */
    void poll(int max, int... partitions) {
      List<SinkRecord> batch = new ArrayList<>();
      for (int p : partitions) {
        TopicPartition tp = partition(p);
        if (paused.contains(tp)) {
          continue;
        }
        List<SinkRecord> records = log.getOrDefault(tp.partition(), List.of());
        long from = positions.get(tp);
        for (long o = from; o < Math.min(records.size(), from + max); o++) {
          batch.add(records.get((int) o));
        }
        positions.put(tp, Math.min(records.size(), from + max));
      }
      timeoutMs = -1;
      task.put(batch);
    }

    void sleepUntilDue() throws InterruptedException {
      Thread.sleep(Math.max(timeoutMs, 0) + 20);
    }

    @Override
    public Map<String, String> configs() {
      return Map.of();
    }

    @Override
    public void offset(Map<TopicPartition, Long> offsets) {
      positions.putAll(offsets);
    }

    @Override
    public void offset(TopicPartition tp, long offset) {
      positions.put(tp, offset);
    }

    @Override
    public void timeout(long ms) {
      timeoutMs = ms;
    }

    @Override
    public Set<TopicPartition> assignment() {
      return Set.copyOf(assigned);
    }

    @Override
    public void pause(TopicPartition... partitions) {
      paused.addAll(List.of(partitions));
    }

    @Override
    public void resume(TopicPartition... partitions) {
      paused.removeAll(List.of(partitions));
    }

    @Override
    public void requestCommit() {}

    @Override
    public org.apache.kafka.common.metrics.PluginMetrics pluginMetrics() {
      return new org.apache.kafka.common.metrics.internals.PluginMetricsImpl(
          metrics, new java.util.LinkedHashMap<>(Map.of("connector", "sink")));
    }

    @Override
    public ErrantRecordReporter errantRecordReporter() {
      return (record, error) -> {
        refused.add(record.kafkaPartition() + "@" + record.kafkaOffset() + ": " + error);
        return java.util.concurrent.CompletableFuture.completedFuture(null);
      };
    }
  }
}
