package dev.floe.bench.pipeline;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/** What one run measured, and the medians over runs of each format. */
record RunResult(
    String format,
    String sink,
    int repeat,
    int rows,
    double sourceSeconds,
    double sinkSeconds,
    double tailSeconds,
    Map<String, Double> sourceCpu,
    Map<String, Double> sinkCpu,
    long topicBytes,
    boolean equal) {
  // equal: floe verify found Floe's table equal to Postgres, or Apache's holds every key once

  double sourceRate() {
    return rows / sourceSeconds;
  }

  double sinkRate() {
    return rows / sinkSeconds;
  }

  /**
   * The sink's rate until its consumer had read the last record: what its task keeps up with, apart
   * from when its last commit comes (Apache's waits for the coordinator's next interval).
   */
  double readRate() {
    return rows / (sinkSeconds - tailSeconds);
  }

  /** CPU seconds per million records of {@code group} in {@code cpu}. */
  double perMillion(Map<String, Double> cpu, String group) {
    return cpu.getOrDefault(group, 0.0) * 1_000_000 / rows;
  }

  String line() {
    return String.format(
        "%s, %s sink #%d: source %.0f events/s (%.1f s), sink %.0f events/s (%.1f s; %.0f events/s"
            + " to the last read, then %.1f s to the last commit), %d bytes/event on the topic; CPU s per million: source %s, sink %s;"
            + " table %s",
        format,
        sink,
        repeat,
        sourceRate(),
        sourceSeconds,
        sinkRate(),
        sinkSeconds,
        readRate(),
        tailSeconds,
        topicBytes / rows,
        perMillion(sourceCpu),
        perMillion(sinkCpu),
        sink.equals("apache")
            ? (equal ? "holds every key once" : "WRONG (keys missing or repeated)")
            : (equal ? "EQUAL to Postgres" : "DIFFERENT from Postgres"));
  }

  private Map<String, String> perMillion(Map<String, Double> cpu) {
    Map<String, String> out = new TreeMap<>();
    cpu.keySet().forEach(group -> out.put(group, String.format("%.1f", perMillion(cpu, group))));
    return out;
  }

  static String summary(List<RunResult> results, BenchOptions options) {
    StringBuilder out =
        new StringBuilder(
            "| format | sink | source events/s | sink events/s | sink events/s to the last read | last read → last commit (s) | bytes/event"
                + " | source task CPU s/M | sink task CPU s/M | sink commit CPU s/M | broker,"
                + " worker, other CPU s/M (sink phase) | table right |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (String format : options.formats()) {
      for (String sink : options.sinks()) {
        List<RunResult> runs =
            results.stream()
                .filter(r -> r.format().equals(format) && r.sink().equals(sink))
                .toList();
        out.append(row(format, sink, runs));
      }
    }
    return out.append(
            String.format(
                "(medians of %d runs, %d rows each, %d partition(s) and sink task(s), commit.interval.ms=%d;"
                    + " table right: floe verify"
                    + " EQUAL for Floe's, every key once for Apache's)",
                options.repeats(),
                options.rows(),
                options.partitions(),
                options.commitIntervalMs()))
        .toString();
  }

  private static String row(String format, String sink, List<RunResult> runs) {
    return String.format(
        "| %s | %s | %.0f | %.0f | %.0f | %.1f | %.0f | %.1f | %.1f | %.1f | %.1f | %d of %d |%n",
        format,
        sink,
        median(runs, RunResult::sourceRate),
        median(runs, RunResult::sinkRate),
        median(runs, RunResult::readRate),
        median(runs, RunResult::tailSeconds),
        median(runs, r -> (double) r.topicBytes() / r.rows()),
        median(runs, r -> r.perMillion(r.sourceCpu(), "source task")),
        median(runs, r -> r.perMillion(r.sinkCpu(), "sink task")),
        median(runs, r -> r.perMillion(r.sinkCpu(), "sink commit")),
        median(runs, r -> r.perMillion(r.sinkCpu(), "broker, worker, other")),
        runs.stream().filter(RunResult::equal).count(),
        runs.size());
  }

  private static double median(List<RunResult> runs, ToDoubleFunction<RunResult> value) {
    List<Double> values = new ArrayList<>();
    runs.forEach(r -> values.add(value.applyAsDouble(r)));
    Collections.sort(values);
    int n = values.size();
    return n == 0
        ? Double.NaN
        : n % 2 == 1 ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2;
  }
}
