package dev.floe.sink.commit;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Crash injection for Floe's fault tests: with the JVM property {@code
 * floe.failpoint.halt-before-commit=N}, the worker process halts on the N-th commit, after the
 * flush's files are written and before the snapshot is committed, which is the moment a crash is
 * most likely to lose or double data. Without the property it does nothing.
 */
final class Failpoint {
  static final String HALT_BEFORE_COMMIT = "floe.failpoint.halt-before-commit";
  private static final AtomicInteger COMMITS = new AtomicInteger();

  private Failpoint() {}

  static void beforeCommit() {
    String n = System.getProperty(HALT_BEFORE_COMMIT);
    if (n != null && COMMITS.incrementAndGet() == Integer.parseInt(n)) {
      System.err.println("floe failpoint: halting before commit " + n);
      Runtime.getRuntime().halt(137);
    }
  }
}
