package dev.floe.sink.write;

import java.util.List;
import org.apache.iceberg.Table;
import org.apache.kafka.connect.sink.SinkRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Changes that cannot be part of Postgres's history as it happened, only of a replay: Debezium
 * delivers at least once, and after a restart it sends changes again that the table already holds
 * later states of (an update of a row deleted after it). When such a change lacks a value Postgres
 * did not send, it is superseded: the key keeps the later state (deleted), which the replay itself
 * also reaches. Logged, at most every ten seconds, never sent to the dead letter topic.
 */
final class ReplayedChanges {
  private static final Logger LOG = LoggerFactory.getLogger(ReplayedChanges.class);
  private long lastLogMs;
  private long skipped;

  void skipped(Table table, List<SinkRecord> records) {
    skipped += Math.max(1, records.size());
    long now = System.currentTimeMillis();
    if (now - lastLogMs > 10_000) {
      lastLogMs = now;
      LOG.info(
          "{}: {} replayed change(s) superseded by a later delete the table holds (the source"
              + " delivered them again after a restart), e.g. {}",
          table.name(),
          skipped,
          records.isEmpty() ? "" : where(records.get(0)));
    }
  }

  private static String where(SinkRecord record) {
    return dev.floe.sink.event.RecordCoordinates.of(record).toString();
  }
}
