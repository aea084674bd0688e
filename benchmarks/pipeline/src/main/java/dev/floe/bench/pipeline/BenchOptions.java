package dev.floe.bench.pipeline;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The pipeline benchmark's command line. */
record BenchOptions(
    Path root,
    int rows,
    int repeats,
    List<String> formats,
    List<String> sinks,
    int commitIntervalMs,
    Path dataDir,
    int freshnessRate,
    int freshnessSeconds,
    Map<String, String> sourceSettings,
    int partitions) {
  static final String USAGE =
      "benchmarks/pipeline/run [--rows N (300000)] [--repeats R (3)] [--formats json,avro]"
          + " [--sinks floe,apache] [--partitions N (1): the topic's partitions and each sink's tasks]"
          + " [--commit-interval-ms MS (10000)] [--data-dir DIR (benchmarks/pipeline/target/runs)]"
          + " [--freshness-rate ROWS_PER_S --freshness-seconds S (60)]: each sink's freshness at that offered"
          + " rate instead of throughput; [--source-set KEY=VALUE]...: a setting added to the"
          + " source connector's (Debezium's batch and queue sizes, producer.override.*)";

  static BenchOptions parse(String[] args) {
    Path root = Path.of(System.getProperty("floe.root", ".")).toAbsolutePath().normalize();
    int rows = 300_000;
    int repeats = 3;
    List<String> formats = List.of("json", "avro");
    List<String> sinks = List.of("floe", "apache");
    int interval = 10_000;
    Path dataDir = root.resolve("benchmarks/pipeline/target/runs");
    int freshnessRate = 0;
    int freshnessSeconds = 60;
    Map<String, String> sourceSettings = new LinkedHashMap<>();
    int partitions = 1;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--rows" -> rows = Integer.parseInt(args[++i]);
        case "--repeats" -> repeats = Integer.parseInt(args[++i]);
        case "--formats" -> formats = List.of(args[++i].split(","));
        case "--sinks" -> sinks = List.of(args[++i].split(","));
        case "--partitions" -> partitions = Integer.parseInt(args[++i]);
        case "--commit-interval-ms" -> interval = Integer.parseInt(args[++i]);
        case "--data-dir" -> dataDir = Path.of(args[++i]).toAbsolutePath();
        case "--freshness-rate" -> freshnessRate = Integer.parseInt(args[++i]);
        case "--freshness-seconds" -> freshnessSeconds = Integer.parseInt(args[++i]);
        case "--source-set" -> {
          String[] setting = args[++i].split("=", 2);
          sourceSettings.put(setting[0], setting[1]);
        }
        default -> throw new IllegalArgumentException("Unknown option " + args[i] + "\n" + USAGE);
      }
    }
    for (String format : formats) {
      if (!format.equals("json") && !format.equals("avro")) {
        throw new IllegalArgumentException("--formats takes json and avro, not " + format);
      }
    }
    for (String sink : sinks) {
      if (!sink.equals("floe") && !sink.equals("apache")) {
        throw new IllegalArgumentException("--sinks takes floe and apache, not " + sink);
      }
    }
    return new BenchOptions(
        root,
        rows,
        repeats,
        formats,
        sinks,
        interval,
        dataDir,
        freshnessRate,
        freshnessSeconds,
        sourceSettings,
        partitions);
  }

  String version() {
    return System.getProperty("floe.version", "0.1.0-SNAPSHOT");
  }

  Path sourceArchive() {
    return Path.of("connect-source/target/floe-postgres-source-" + version() + ".zip");
  }

  Path sinkArchive() {
    return Path.of("connect-sink/target/floe-iceberg-sink-" + version() + ".zip");
  }
}
