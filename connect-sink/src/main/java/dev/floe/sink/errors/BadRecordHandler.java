package dev.floe.sink.errors;

import java.util.concurrent.ExecutionException;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to a record the sink cannot apply (a {@link DataException}: not a change event, no
 * key, a value it cannot convert, a TOAST placeholder). With Connect's dead letter queue configured
 * ({@code errors.tolerance=all}, {@code errors.deadletterqueue.topic.name}) the record goes there
 * with the reason and its topic, partition and offset in the headers, and the rest keep flowing;
 * without it the task fails with the reason, and nothing after the record is committed.
 */
public final class BadRecordHandler {
  private static final Logger LOG = LoggerFactory.getLogger(BadRecordHandler.class);
  private final ErrantRecordReporter deadLetters;
  private final Runnable sent;

  public BadRecordHandler(ErrantRecordReporter deadLetters) {
    this(deadLetters, () -> {});
  }

  /**
   * @param sent called for each record written to the dead letter topic (a metric)
   */
  public BadRecordHandler(ErrantRecordReporter deadLetters, Runnable sent) {
    this.deadLetters = deadLetters;
    this.sent = sent;
  }

  /**
   * Sends {@code record} to the dead letter topic, waiting until it is written; or fails the task.
   */
  public void handle(SinkRecord record, DataException reason) {
    String where =
        record.originalTopic()
            + "-"
            + record.originalKafkaPartition()
            + "@"
            + record.originalKafkaOffset();
    if (deadLetters == null) {
      throw new ConnectException(
          "Cannot apply record "
              + where
              + ": "
              + reason.getMessage()
              + " To send such records to a dead letter topic and keep going, set errors.tolerance=all"
              + " and errors.deadletterqueue.topic.name.",
          reason);
    }
    LOG.warn("Sending record {} to the dead letter topic: {}", where, reason.getMessage());
    try {
      // wait: its offset may be committed right after, and the record must not be lost in between
      deadLetters.report(record, reason).get();
      sent.run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConnectException(
          "Interrupted while writing " + where + " to the dead letter topic", e);
    } catch (ExecutionException e) {
      throw new ConnectException(
          "Could not write " + where + " to the dead letter topic", e.getCause());
    }
  }
}
