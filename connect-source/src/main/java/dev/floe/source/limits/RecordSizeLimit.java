package dev.floe.source.limits;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Catches a change Kafka's producer will refuse before it is handed over: a row whose values alone
 * are larger than the producer's {@code max.request.size} (Kafka's default is 1 MiB; a single jsonb
 * or text value can be a gigabyte). Kafka would fail the task with a message that names no table,
 * row or column, and leave the topic's own limit for a second failure; this says which change,
 * which column, and both settings to raise.
 *
 * <p>When the connector sets {@code producer.override.max.request.size}, that limit is certain and
 * the task fails here, before anything of the batch is sent: it resumes from this change once the
 * limits are raised, and nothing is lost. Without it the worker's own producer settings (which a
 * connector cannot read) may allow more, so the change is only warned about.
 */
public final class RecordSizeLimit {
  /** The connector setting the producer of this connector's task takes as its limit. */
  public static final String MAX_REQUEST_SIZE = "producer.override.max.request.size";

  static final long KAFKA_DEFAULT = 1_048_576;
  private static final Logger LOG = LoggerFactory.getLogger(RecordSizeLimit.class);

  private final long limit;
  private final boolean stated;
  private final Set<String> warned = new HashSet<>();

  private RecordSizeLimit(long limit, boolean stated) {
    this.limit = limit;
    this.stated = stated;
  }

  /** The limit of the task started with {@code config} (the connector's settings). */
  public static RecordSizeLimit of(Map<String, String> config) {
    String value = config.get(MAX_REQUEST_SIZE);
    if (value == null || value.isBlank()) {
      return new RecordSizeLimit(KAFKA_DEFAULT, false);
    }
    try {
      return new RecordSizeLimit(Long.parseLong(value.trim()), true);
    } catch (NumberFormatException notANumber) {
      return new RecordSizeLimit(KAFKA_DEFAULT, false); // Connect refuses the producer config
    }
  }

  /**
   * Fails (the limit stated) or warns (Kafka's default assumed) when {@code record}'s values are
   * larger than the limit.
   */
  public void check(SourceRecord record) {
    ValueSize size = ValueSize.of(record.value());
    if (size.bytes() <= limit) {
      return;
    }
    String advice = advice(record, size);
    if (stated) {
      throw new ConnectException(advice);
    }
    if (warned.add(record.topic() + "/" + size.largestField())) {
      LOG.warn("{} (warned once per topic and column)", advice);
    }
  }

  private String advice(SourceRecord record, ValueSize size) {
    String limitSource =
        stated
            ? "this connector's " + MAX_REQUEST_SIZE + " of " + limit
            : "Kafka's default max.request.size of "
                + limit
                + " (unless the worker's producer.max.request.size is higher)";
    return String.format(
        "A change for topic %s (key %s) holds at least %,d bytes of values, %,d of them in"
            + " column %s: more than %s, so Kafka's producer will refuse it. Raise %s on this"
            + " connector above the largest row you write (twice that with REPLICA IDENTITY FULL,"
            + " whose updates carry the old row too), and the topic's max.message.bytes to the same"
            + " (topic.creation.default.max.message.bytes for the topics Connect creates,"
            + " kafka-configs --alter for topics that exist), then restart the task: it resumes"
            + " from this change, nothing is lost (docs/source-operations.md#large-values).",
        record.topic(),
        record.key(),
        size.bytes(),
        size.largestBytes(),
        size.largestField(),
        limitSource,
        MAX_REQUEST_SIZE);
  }
}
