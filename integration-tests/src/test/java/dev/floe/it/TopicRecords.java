package dev.floe.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Every committed record of one topic, from its first offset to its end, as JSON key and value:
 * what a downstream reader with {@code isolation.level=read_committed} sees.
 */
final class TopicRecords {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One record: its JSON key and value (a null value is a tombstone), its headers' names, its
   * partition.
   */
  record Entry(JsonNode key, JsonNode value, List<String> headers, int partition) {
    /** The Debezium envelope's payload (schemas on or off), or null for a tombstone. */
    JsonNode payload() {
      if (value == null || value.isNull()) {
        return null;
      }
      return value.has("payload") && value.has("schema") ? value.get("payload") : value;
    }
  }

  private TopicRecords() {}

  static List<Entry> readAll(String bootstrapServers, String topic) throws Exception {
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrapServers);
    props.put("isolation.level", "read_committed");
    props.put("enable.auto.commit", "false");
    List<Entry> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("Could not read " + topic + " to its end " + end);
        }
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          out.add(
              new Entry(
                  record.key() == null ? null : JSON.readTree(record.key()),
                  record.value() == null ? null : JSON.readTree(record.value()),
                  java.util.stream.StreamSupport.stream(record.headers().spliterator(), false)
                      .map(org.apache.kafka.common.header.Header::key)
                      .toList(),
                  record.partition()));
        }
      }
    }
    return out;
  }

  /** The number of records a topic holds (end minus start offsets), 0 when it does not exist. */
  static long count(String bootstrapServers, String topic) {
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrapServers);
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      if (!consumer.listTopics().containsKey(topic)) {
        return 0;
      }
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      Map<TopicPartition, Long> start = consumer.beginningOffsets(partitions);
      return partitions.stream().mapToLong(p -> end.get(p) - start.get(p)).sum();
    }
  }
}
