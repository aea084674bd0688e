package dev.floe.sink.errors;

import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an action until it succeeds, retrying passing failures ({@link ErrorClassifier}) with
 * exponential backoff for at most a time budget, then failing loudly with the last error. Lasting
 * failures are not retried.
 */
public final class RetryBudget {
  private static final Logger LOG = LoggerFactory.getLogger(RetryBudget.class);
  private static final long FIRST_BACKOFF_MS = 250;
  private static final long MAX_BACKOFF_MS = 10_000;

  private final long budgetMs;

  public RetryBudget(long budgetMs) {
    this.budgetMs = budgetMs;
  }

  /** Runs {@code action}; {@code what} names it in logs and in the final error. */
  public void run(String what, Runnable action) {
    run(what, action, deadline());
  }

  /** When a budget starting now runs out: to share one budget among several actions. */
  public long deadline() {
    return System.currentTimeMillis() + budgetMs;
  }

  /**
   * Runs {@code action} within a budget that ends at {@code deadline} (from {@link #deadline()}),
   * so that the actions of one commit together never take longer than the budget.
   */
  public void run(String what, Runnable action, long deadline) {
    long backoff = FIRST_BACKOFF_MS;
    for (int attempt = 1; ; attempt++) {
      try {
        action.run();
        if (attempt > 1) {
          LOG.info("{} succeeded on attempt {}", what, attempt);
        }
        return;
      } catch (RuntimeException e) {
        if (!ErrorClassifier.isRetriable(e)) {
          throw e;
        }
        if (System.currentTimeMillis() + backoff > deadline) {
          throw new ConnectException(
              what + " kept failing for " + budgetMs + " ms (commit.retry.timeout.ms): " + e, e);
        }
        LOG.warn(
            "{} failed (attempt {}), retrying in {} ms: {}", what, attempt, backoff, e.toString());
        sleep(backoff);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      }
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConnectException("Interrupted while waiting to retry", e);
    }
  }
}
