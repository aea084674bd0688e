package dev.floe.it;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.opentest4j.AssertionFailedError;

/** Polling for a condition that becomes true asynchronously, failing with what was last seen. */
final class Waits {
  private Waits() {}

  static void until(
      Duration timeout, String what, Callable<Boolean> condition, Callable<String> lastSeen)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception lastError = null;
    while (System.nanoTime() < deadline) {
      try {
        if (condition.call()) {
          return;
        }
        lastError = null;
      } catch (Exception e) {
        lastError = e;
      }
      Thread.sleep(500);
    }
    String seen;
    try {
      seen = lastSeen.call();
    } catch (Exception e) {
      seen = "(could not tell: " + e + ")";
    }
    AssertionFailedError failure =
        new AssertionFailedError(
            "Timed out after " + timeout + " waiting for " + what + "; last seen: " + seen);
    if (lastError != null) {
      failure.initCause(lastError);
    }
    throw failure;
  }
}
