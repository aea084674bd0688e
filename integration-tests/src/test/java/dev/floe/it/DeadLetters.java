package dev.floe.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads a dead letter topic from its start, as an operator would inspect it. */
final class DeadLetters {
  private DeadLetters() {}

  /** Waits until {@code topic} holds at least {@code expected} records, and returns them. */
  static List<ConsumerRecord<byte[], byte[]>> read(
      String bootstrapServers, String topic, int expected) throws Exception {
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrapServers);
    props.put("group.id", "dead-letter-reader-" + UUID.randomUUID());
    props.put("auto.offset.reset", "earliest");
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      Waits.until(
          Duration.ofSeconds(120),
          expected + " dead letters in " + topic,
          () -> {
            // the topic appears with the first dead letter
            if (consumer.subscription().isEmpty() && consumer.listTopics().containsKey(topic)) {
              consumer.subscribe(List.of(topic));
            }
            if (!consumer.subscription().isEmpty()) {
              consumer.poll(Duration.ofMillis(500)).forEach(out::add);
            }
            return out.size() >= expected;
          },
          () -> out.size() + " so far");
    }
    return out;
  }
}
