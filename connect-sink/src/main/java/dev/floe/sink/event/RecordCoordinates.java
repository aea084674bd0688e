package dev.floe.sink.event;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * A record's place in Kafka, taken from its original topic, partition and offset, so that a
 * transform that renames topics cannot corrupt the offsets Floe records. A worker before Kafka 3.6
 * (KIP-793) does not keep the originals: there the record's own are its place, which is the same
 * unless a transform on the sink renames topics or partitions (not supported on such a worker).
 */
public record RecordCoordinates(String topic, int partition, long offset) {
  private static final boolean ORIGINALS = workerKeepsOriginals();

  public static RecordCoordinates of(SinkRecord record) {
    if (ORIGINALS) {
      return new RecordCoordinates(
          record.originalTopic(), record.originalKafkaPartition(), record.originalKafkaOffset());
    }
    return new RecordCoordinates(record.topic(), record.kafkaPartition(), record.kafkaOffset());
  }

  private static boolean workerKeepsOriginals() {
    try {
      SinkRecord.class.getMethod("originalTopic");
      return true;
    } catch (NoSuchMethodException olderWorker) {
      org.slf4j.LoggerFactory.getLogger(RecordCoordinates.class)
          .info(
              "This Kafka Connect worker (before 3.6) does not keep a record's original topic,"
                  + " partition and offset: the sink records offsets as the records arrive, so a"
                  + " transform of the sink's that renames topics or partitions is not supported"
                  + " on it.");
      return false;
    }
  }

  public TopicPartition topicPartition() {
    return new TopicPartition(topic, partition);
  }

  @Override
  public String toString() {
    return topic + "-" + partition + "@" + offset;
  }
}
