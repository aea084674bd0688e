package dev.floe.verify;

import dev.floe.sink.summary.CommitSummary;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Whether the pipeline has carried into an Iceberg table every change Postgres had committed up to
 * an LSN: the source has confirmed the LSN on its replication slot (so every change up to it is in
 * Kafka), and the table's newest commit records Kafka offsets at or past the ends its topics had
 * then. Only after that does a key that still differs differ for real.
 */
final class SinkProgress {
  private final Supplier<Connection> postgres;
  private final String slot;
  private final String bootstrapServers;

  SinkProgress(Supplier<Connection> postgres, String slot, String bootstrapServers) {
    this.postgres = postgres;
    this.slot = slot;
    this.bootstrapServers = bootstrapServers;
  }

  /**
   * Waits until {@code table} holds every change committed up to {@code lsn}, or {@code
   * deadlineMillis}; returns whether it does.
   */
  boolean awaitPassed(Table table, String lsn, long deadlineMillis) throws Exception {
    while (!slotConfirmed(lsn)) {
      if (!sleepUntil(deadlineMillis)) {
        return false;
      }
    }
    table.refresh();
    Map<TopicPartition, Long> ends = endOffsets(offsetsOf(table).keySet());
    while (true) {
      table.refresh();
      Map<TopicPartition, Long> committed = offsetsOf(table);
      boolean passed =
          ends.entrySet().stream()
              .allMatch(e -> committed.getOrDefault(e.getKey(), -1L) >= e.getValue());
      if (passed) {
        return true;
      }
      if (!sleepUntil(deadlineMillis)) {
        return false;
      }
    }
  }

  private boolean slotConfirmed(String lsn) throws Exception {
    try (Connection db = postgres.get();
        PreparedStatement st =
            db.prepareStatement(
                "select confirmed_flush_lsn >= ?::pg_lsn from pg_replication_slots"
                    + " where slot_name = ?")) {
      st.setString(1, lsn);
      st.setString(2, slot);
      try (ResultSet rs = st.executeQuery()) {
        if (!rs.next()) {
          throw new IllegalStateException("no replication slot " + slot + " (--slot)");
        }
        return rs.getBoolean(1);
      }
    }
  }

  private Map<TopicPartition, Long> endOffsets(Set<TopicPartition> partitions) {
    if (partitions.isEmpty()) {
      return Map.of();
    }
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
      return new HashMap<>(consumer.endOffsets(partitions, java.time.Duration.ofSeconds(30)));
    }
  }

  /** The Kafka offsets the table's newest sink commit records (maintenance commits carry none). */
  static Map<TopicPartition, Long> offsetsOf(Table table) {
    for (Snapshot s = table.currentSnapshot();
        s != null;
        s = s.parentId() == null ? null : table.snapshot(s.parentId())) {
      if (CommitSummary.isSinkCommit(s)) {
        return CommitSummary.nextOffsets(s, s.summary().get(CommitSummary.CONNECTOR));
      }
    }
    return Map.of();
  }

  private static boolean sleepUntil(long deadlineMillis) throws InterruptedException {
    long left = deadlineMillis - System.currentTimeMillis();
    if (left <= 0) {
      return false;
    }
    Thread.sleep(Math.min(500, left));
    return true;
  }
}
