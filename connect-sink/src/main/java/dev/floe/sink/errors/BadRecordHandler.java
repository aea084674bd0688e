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
 * key, a value it cannot convert, a table or column Iceberg refuses), as the {@link
 * BadRecordPolicy} says. With Connect's dead letter queue configured ({@code errors.tolerance=all},
 * {@code errors.deadletterqueue.topic.name}) the record goes there with the reason and its topic,
 * partition and offset in the headers, and the rest keep flowing; with {@code errors.tolerance=all}
 * alone it is dropped, loudly; otherwise the task fails with the reason, and nothing after the
 * record is committed.
 */
public final class BadRecordHandler {
  private static final Logger LOG = LoggerFactory.getLogger(BadRecordHandler.class);
  private final ErrantRecordReporter reporter;
  private final BadRecordPolicy policy;
  private final Runnable sent;
  private final Runnable dropped;

  /**
   * @param reporter Connect's reporter, null when the worker gives none
   * @param sent called for each record written to the dead letter topic (a metric)
   * @param dropped called for each record dropped (a metric)
   */
  public BadRecordHandler(
      ErrantRecordReporter reporter, BadRecordPolicy policy, Runnable sent, Runnable dropped) {
    this.reporter = reporter;
    this.policy = policy;
    this.sent = sent;
    this.dropped = dropped;
  }

  /**
   * Sends {@code record} to the dead letter topic, waiting until it is written; or drops it; or
   * fails the task.
   */
  public void handle(SinkRecord record, DataException reason) {
    String where = dev.floe.sink.event.RecordCoordinates.of(record).toString();
    switch (policy) {
      case FAIL ->
          throw new ConnectException(
              "Cannot apply record "
                  + where
                  + ": "
                  + reason.getMessage()
                  + " To send such records to a dead letter topic and keep going, set errors.tolerance=all"
                  + " and errors.deadletterqueue.topic.name.",
              reason);
      case DROP -> {
        LOG.warn(
            "DROPPED record {}, not sent anywhere (errors.tolerance=all and no"
                + " errors.deadletterqueue.topic.name): {}",
            where,
            reason.getMessage());
        if (reporter != null) {
          report(record, reason, where); // Connect's own error log and metrics, if enabled
        }
        dropped.run();
      }
      case DEAD_LETTER_TOPIC -> {
        if (reporter == null) {
          throw new ConnectException(
              "Cannot apply record "
                  + where
                  + " ("
                  + reason.getMessage()
                  + ") and this worker gives sink tasks no dead letter queue: it needs Kafka 2.6 or"
                  + " later.",
              reason);
        }
        LOG.warn("Sending record {} to the dead letter topic: {}", where, reason.getMessage());
        report(record, reason, where);
        sent.run();
      }
    }
  }

  private void report(SinkRecord record, DataException reason, String where) {
    try {
      // wait: its offset may be committed right after, and the record must not be lost in between
      reporter.report(record, reason).get();
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
