package dev.floe.sink.commit;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits on time, even when no records arrive: Connect calls {@code put} only when the consumer
 * returns, which on a quiet topic can be a minute apart, and freshness must not depend on traffic.
 * A failed commit is kept and raised on Connect's task thread at its next call, which fails the
 * task loudly.
 */
public final class CommitClock implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CommitClock.class);

  private final ScheduledExecutorService timer;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();

  public CommitClock(String name, long intervalMs, Runnable commit) {
    ClassLoader pluginLoader = Thread.currentThread().getContextClassLoader();
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, name);
              thread.setDaemon(true);
              // Iceberg and Hadoop load classes through the context loader: keep the plugin's own
              thread.setContextClassLoader(pluginLoader);
              return thread;
            });
    timer.scheduleWithFixedDelay(
        () -> {
          if (failure.get() != null) {
            return;
          }
          try {
            commit.run();
          } catch (Throwable t) {
            LOG.error("Commit failed; the task will fail at its next call", t);
            failure.compareAndSet(null, t);
          }
        },
        intervalMs,
        intervalMs,
        TimeUnit.MILLISECONDS);
  }

  /** Raises the first failed commit, if any, on the calling (Connect) thread. */
  public void raiseFailure() {
    Throwable t = failure.get();
    if (t != null) {
      throw new ConnectException("Committing to Iceberg failed: " + t.getMessage(), t);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
