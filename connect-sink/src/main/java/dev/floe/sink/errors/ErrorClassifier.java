package dev.floe.sink.errors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.RuntimeIOException;
import org.apache.iceberg.exceptions.ServiceFailureException;
import org.apache.iceberg.exceptions.ServiceUnavailableException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * Tells a passing failure from a lasting one by walking the cause chain: I/O, network, throttling,
 * unavailable services and lost commit races pass, and are worth retrying with backoff; anything
 * else (a bad value, a schema the table cannot take, a stale task) will fail again the same way.
 */
public final class ErrorClassifier {
  private ErrorClassifier() {}

  /**
   * Whether {@code failure} is a lost commit race: another writer committed to the table first.
   * Waiting longer does not help against a race as it does against an outage; retrying soon does.
   */
  public static boolean isCommitRace(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof CommitFailedException) {
        return true;
      }
    }
    return false;
  }

  public static boolean isRetriable(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof IOException
          || t instanceof UncheckedIOException
          || t instanceof RuntimeIOException
          || t instanceof CommitFailedException
          || t instanceof ServiceUnavailableException
          || t instanceof ServiceFailureException
          || t instanceof SdkClientException
          || t instanceof SQLTransientException
          || t instanceof SQLRecoverableException) {
        return true;
      }
      if (t instanceof SdkServiceException service
          && (service.retryable()
              || service.isThrottlingException()
              || service.statusCode() >= 500)) {
        return true;
      }
      if (t instanceof SQLException sql
          && sql.getSQLState() != null
          && sql.getSQLState().startsWith("08")) {
        return true; // SQLSTATE class 08: connection exception (the JDBC catalog's database)
      }
    }
    return false;
  }
}
