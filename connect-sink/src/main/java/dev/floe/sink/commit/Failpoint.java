package dev.floe.sink.commit;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fault injection for Floe's fault tests, off unless a JVM property asks for it:
 *
 * <ul>
 *   <li>{@code floe.failpoint.halt-before-commit=N}: the worker process halts on the N-th commit,
 *       after the flush's files are written and before the snapshot is committed, which is the
 *       moment a crash is most likely to lose or double data;
 *   <li>{@code floe.failpoint.fail-commit=N}: the N-th commit fails, once, as a commit does when
 *       its retry budget is spent (an S3 outage, a race lost again and again);
 *   <li>{@code floe.failpoint.fail-commit-covering=topic-N}: every commit of records of that
 *       partition fails while the property is set (a test picks the task that fails by the
 *       partitions it holds).
 * </ul>
 */
final class Failpoint {
  static final String HALT_BEFORE_COMMIT = "floe.failpoint.halt-before-commit";
  static final String FAIL_COMMIT = "floe.failpoint.fail-commit";
  static final String FAIL_COMMIT_COVERING = "floe.failpoint.fail-commit-covering";
  private static final AtomicInteger COMMITS = new AtomicInteger();

  private Failpoint() {}

  static void beforeCommit(java.util.Collection<org.apache.kafka.common.TopicPartition> covered) {
    String covering = System.getProperty(FAIL_COMMIT_COVERING);
    if (covering != null
        && covered.stream().anyMatch(tp -> tp.toString().equals(covering))
        && disarm(covering)) {
      throw new IllegalStateException("floe failpoint: a commit covering " + covering + " fails");
    }
    String halt = System.getProperty(HALT_BEFORE_COMMIT);
    String fail = System.getProperty(FAIL_COMMIT);
    if (halt == null && fail == null) {
      return;
    }
    int commit = COMMITS.incrementAndGet();
    if (halt != null && commit == Integer.parseInt(halt)) {
      System.err.println("floe failpoint: halting before commit " + halt);
      Runtime.getRuntime().halt(137);
    }
    if (fail != null && commit == Integer.parseInt(fail)) {
      throw new IllegalStateException("floe failpoint: commit " + fail + " fails");
    }
  }

  /**
   * True for the one caller that clears the covering failpoint: only the task holding the partition
   * when it was set fails, not the task that takes the partition over after it.
   */
  private static synchronized boolean disarm(String covering) {
    if (!covering.equals(System.getProperty(FAIL_COMMIT_COVERING))) {
      return false;
    }
    System.clearProperty(FAIL_COMMIT_COVERING);
    return true;
  }

  /** Counts commits from zero again (tests that set a failpoint more than once). */
  static void reset() {
    COMMITS.set(0);
  }
}
