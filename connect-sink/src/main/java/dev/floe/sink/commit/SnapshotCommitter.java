package dev.floe.sink.commit;

import dev.floe.sink.write.TableFlush;
import java.util.Map;
import java.util.TreeMap;
import org.apache.iceberg.RowDelta;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits one flush of one table as exactly one {@link RowDelta}: its data files and delete files
 * become visible together, and the snapshot summary records what the flush covered, so a reader (or
 * a restarted task) can tell which Kafka offsets and which source position the table holds.
 */
public final class SnapshotCommitter {
  /**
   * Summary key: the next Kafka offset to read, per {@code topic/partition}, as {@code
   * t/0=12,t/1=7}.
   */
  public static final String OFFSETS = "floe.kafka.next-offsets";

  public static final String SOURCE_TS_MS = "floe.source.max-commit-ts-ms";
  public static final String SOURCE_LSN = "floe.source.max-lsn";
  public static final String EVENTS = "floe.events";
  public static final String CONNECTOR = "floe.connector";

  private static final Logger LOG = LoggerFactory.getLogger(SnapshotCommitter.class);

  private final String connectorName;

  public SnapshotCommitter(String connectorName) {
    this.connectorName = connectorName;
  }

  public void commit(TableFlush flush) {
    long started = System.nanoTime();
    RowDelta delta = flush.table().newRowDelta();
    for (var file : flush.files().dataFiles()) {
      delta.addRows(file);
    }
    for (var file : flush.files().deleteFiles()) {
      delta.addDeletes(file);
    }
    delta.set(CONNECTOR, connectorName);
    delta.set(OFFSETS, encodeOffsets(flush.nextOffsets()));
    delta.set(SOURCE_TS_MS, String.valueOf(flush.watermark().commitTimeMs()));
    delta.set(SOURCE_LSN, String.valueOf(flush.watermark().lsn()));
    delta.set(EVENTS, String.valueOf(flush.events()));
    delta.commit();
    LOG.info(
        "Committed {} change events to {}: {} data and {} delete files in {} ms",
        flush.events(),
        flush.table().name(),
        flush.files().dataFiles().length,
        flush.files().deleteFiles().length,
        (System.nanoTime() - started) / 1_000_000);
  }

  static String encodeOffsets(Map<TopicPartition, Long> offsets) {
    Map<String, Long> sorted = new TreeMap<>();
    offsets.forEach((tp, offset) -> sorted.put(tp.topic() + "/" + tp.partition(), offset));
    StringBuilder out = new StringBuilder();
    sorted.forEach(
        (tp, offset) ->
            out.append(out.length() == 0 ? "" : ",").append(tp).append('=').append(offset));
    return out.toString();
  }
}
