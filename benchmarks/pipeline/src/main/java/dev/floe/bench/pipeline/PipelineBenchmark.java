package dev.floe.bench.pipeline;

import dev.floe.local.FreePorts;
import dev.floe.local.LocalSchemaRegistry;
import dev.floe.local.LocalStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The pipeline timed end to end on the local stack, JSON against Avro: per run, the source
 * snapshots a fresh table of {@code --rows} rows onto a topic (timed until the topic holds them
 * all), then Floe's sink and Apache Iceberg's each drain that topic into a table of their own
 * (timed until the commit that holds them all), and each table is checked ({@link TableCheck}). CPU
 * is counted per thread group of the in-process worker. One command: {@code
 * benchmarks/pipeline/run}; results in docs/benchmarks.md.
 */
public final class PipelineBenchmark {

  public static void main(String[] args) throws Exception {
    BenchOptions options = BenchOptions.parse(args);
    Path data = options.dataDir().resolve(UUID.randomUUID().toString());
    Files.createDirectories(data);
    LocalStack.Settings settings =
        new LocalStack.Settings(
            data,
            null,
            FreePorts.pick(),
            FreePorts.pick(),
            FreePorts.pick(),
            FreePorts.pick(),
            List.of(
                options.root().resolve(options.sourceArchive()),
                options.root().resolve(options.sinkArchive()),
                options.root().resolve("avro-converter/target/plugin/apicurio-avro-converter"),
                options
                    .root()
                    .resolve("benchmarks/apache-sink-plugin/target/plugin/apache-iceberg-sink")),
            Map.of(),
            false);
    List<RunResult> results = new ArrayList<>();
    try (LocalStack stack = LocalStack.start(settings);
        LocalSchemaRegistry registry = LocalSchemaRegistry.start(0)) {
      if (options.freshnessRate() > 0) {
        FreshnessRun freshness = new FreshnessRun(stack, registry, options);
        StringBuilder table = new StringBuilder(FreshnessRun.header());
        for (int repeat = 1; repeat <= options.repeats(); repeat++) {
          for (String format : options.formats()) {
            for (String line : freshness.run(format, repeat)) {
              System.out.println(line);
              table.append('\n').append(line);
            }
          }
        }
        System.out.println();
        System.out.println(table);
        System.out.printf("(commit.interval.ms=%d)%n", options.commitIntervalMs());
        return;
      }
      try (PipelineRun runner = new PipelineRun(stack, registry, options)) {
        for (int repeat = 1; repeat <= options.repeats(); repeat++) {
          for (String format : options.formats()) {
            for (RunResult result : runner.run(format, repeat)) {
              System.out.println(result.line());
              results.add(result);
            }
          }
        }
      }
    }
    System.out.println();
    System.out.println(RunResult.summary(results, options));
  }
}
