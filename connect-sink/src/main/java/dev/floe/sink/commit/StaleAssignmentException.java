package dev.floe.sink.commit;

import org.apache.kafka.connect.errors.ConnectException;

/**
 * Another task committed one of this flush's partitions beyond where the flush starts: the
 * partition moved while this task wrote it (a late commit of its previous owner, or this task kept
 * it too long after a rebalance). Committing would put older row states over newer ones, so the
 * flush is dropped and its records are read again, skipping what the table holds; nothing is lost.
 */
public final class StaleAssignmentException extends ConnectException {
  public StaleAssignmentException(String message) {
    super(message);
  }
}
