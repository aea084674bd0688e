package dev.floe.sink.commit;

import org.apache.kafka.connect.errors.ConnectException;

/**
 * Another task committed one of this flush's partitions beyond where the flush starts: this task
 * kept writing a partition that had moved (a zombie after a rebalance). Committing would put older
 * row states over newer ones, so the flush is dropped and the task fails; nothing is lost, the new
 * owner has the records.
 */
public final class StaleAssignmentException extends ConnectException {
  public StaleAssignmentException(String message) {
    super(message);
  }
}
