package dev.floe.sink.errors;

import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an action until it succeeds, retrying passing failures ({@link ErrorClassifier}) with
 * exponential backoff for at most a time budget, then failing loudly with the last error. Lasting
 * failures are not retried. A lost commit race backs off to at most {@value #MAX_RACE_BACKOFF_MS}
 * ms, with jitter: against writers that commit every second or so (other tasks, compaction), a
 * flush that waited ten seconds between attempts lost every race of its budget (CrashRecoveryIT,
 * seven in thirty seconds), where more, sooner attempts each stand the same chance.
 */
public final class RetryBudget {
  private static final Logger LOG = LoggerFactory.getLogger(RetryBudget.class);
  private static final long FIRST_BACKOFF_MS = 250;
  private static final long MAX_BACKOFF_MS = 10_000;
  static final long MAX_RACE_BACKOFF_MS = 1_000;

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
        long wait =
            ErrorClassifier.isCommitRace(e)
                ? Math.min(backoff, MAX_RACE_BACKOFF_MS)
                    + ThreadLocalRandom.current().nextLong(FIRST_BACKOFF_MS)
                : backoff;
        if (System.currentTimeMillis() + wait > deadline) {
          throw new ConnectException(
              what + " kept failing for " + budgetMs + " ms (commit.retry.timeout.ms): " + e, e);
        }
        LOG.warn(
            "{} failed (attempt {}), retrying in {} ms: {}", what, attempt, wait, e.toString());
        sleep(wait);
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
