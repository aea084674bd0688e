package dev.floe.sink.event;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * A record's place in Kafka, taken from its original topic, partition and offset, so that a
 * transform that renames topics cannot corrupt the offsets Floe records.
 */
public record RecordCoordinates(String topic, int partition, long offset) {

  public static RecordCoordinates of(SinkRecord record) {
    return new RecordCoordinates(
        record.originalTopic(), record.originalKafkaPartition(), record.originalKafkaOffset());
  }

  public TopicPartition topicPartition() {
    return new TopicPartition(topic, partition);
  }

  @Override
  public String toString() {
    return topic + "-" + partition + "@" + offset;
  }
}
