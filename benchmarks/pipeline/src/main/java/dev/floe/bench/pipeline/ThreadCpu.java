package dev.floe.bench.pipeline;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * CPU time of this JVM's threads (the in-process Connect worker and Kafka broker), grouped by what
 * the threads do: a sample now, and the CPU each group spent since an earlier sample. A thread that
 * ended between two samples is not counted.
 */
final class ThreadCpu {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final Map<Long, Long> nanosByThread;
  private final Map<Long, String> names;

  private ThreadCpu(Map<Long, Long> nanosByThread, Map<Long, String> names) {
    this.nanosByThread = nanosByThread;
    this.names = names;
  }

  static ThreadCpu sample() {
    Map<Long, Long> nanos = new HashMap<>();
    Map<Long, String> names = new HashMap<>();
    for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
      if (info == null) {
        continue;
      }
      long cpu = THREADS.getThreadCpuTime(info.getThreadId());
      if (cpu >= 0) {
        nanos.put(info.getThreadId(), cpu);
        names.put(info.getThreadId(), info.getThreadName());
      }
    }
    return new ThreadCpu(nanos, names);
  }

  /** CPU seconds spent since {@code earlier}, by the group {@code groupOf} gives each thread. */
  Map<String, Double> since(ThreadCpu earlier, Function<String, String> groupOf) {
    Map<String, Double> seconds = new LinkedHashMap<>();
    nanosByThread.forEach(
        (id, nanos) -> {
          long spent = nanos - earlier.nanosByThread.getOrDefault(id, 0L);
          seconds.merge(groupOf.apply(names.get(id)), spent / 1e9, Double::sum);
        });
    return seconds;
  }
}
