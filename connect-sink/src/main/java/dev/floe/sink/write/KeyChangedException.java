package dev.floe.sink.write;

import org.apache.kafka.connect.errors.ConnectException;

/**
 * The table's key is no longer the one a buffer folded by: another task applied a Postgres primary
 * key change first. The buffer is dropped and read again with the new key, so that nothing is
 * deleted by the old columns.
 */
public final class KeyChangedException extends ConnectException {
  public KeyChangedException(String message) {
    super(message);
  }
}
