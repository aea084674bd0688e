package dev.floe.bench.pipeline;

import dev.floe.local.LocalSchemaRegistry;
import dev.floe.local.LocalStack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * One run of the pipeline benchmark: a fresh table, the source's snapshot onto a topic, then each
 * sink of the run draining that same topic into a table of its own (the order of the sinks turns
 * with each repeat, so neither always runs on the warmer JVM).
 */
final class PipelineRun implements AutoCloseable {
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(30);

  /** A connector name no thread carries: the group of the phase's other connector. */
  private static final String NONE = "-";

  private final LocalStack stack;
  private final BenchOptions options;
  private final BenchConnectors connectors;
  private final TopicWatch kafka;
  private final TableCheck check;

  PipelineRun(LocalStack stack, LocalSchemaRegistry registry, BenchOptions options) {
    this.stack = stack;
    this.options = options;
    this.connectors = new BenchConnectors(stack, registry, options);
    this.kafka = new TopicWatch(stack.kafka().bootstrapServers());
    this.check = new TableCheck(stack, options);
  }

  /** The source once, then every sink of the run: one result per sink. */
  List<RunResult> run(String format, int repeat) throws Exception {
    String schema = "b" + repeat + "_" + format;
    String prefix = "b" + repeat + format;
    String topic = prefix + "." + schema + ".orders";
    String source = prefix + "-source";
    OrdersTable.create(stack.source(), schema, options.rows());

    ThreadCpu beforeSource = ThreadCpu.sample();
    long sourceStart = System.nanoTime();
    connectors.rest().putConnector(source, connectors.source(format, prefix, schema));
    BenchConnectors.await(
        "the topic holding every row", RUN_TIMEOUT, () -> kafka.endOffset(topic) >= options.rows());
    double sourceSeconds = (System.nanoTime() - sourceStart) / 1e9;
    Map<String, Double> sourceCpu =
        ThreadCpu.sample().since(beforeSource, groups(source, NONE, NONE));
    connectors.rest().delete("connectors/" + source);
    Thread.sleep(3_000); // the source task stops before a sink's CPU is counted
    long topicBytes = kafka.topicBytes(topic);

    List<String> sinks = new ArrayList<>(options.sinks());
    if (repeat % 2 == 0) {
      Collections.reverse(sinks);
    }
    List<RunResult> results = new ArrayList<>();
    for (String kind : sinks) {
      Drain drain = drain(kind, format, prefix, schema, topic);
      results.add(
          new RunResult(
              format,
              kind,
              repeat,
              options.rows(),
              sourceSeconds,
              drain.seconds(),
              drain.tailSeconds(),
              sourceCpu,
              drain.cpu(),
              topicBytes,
              drain.right()));
    }
    return results;
  }

  private record Drain(
      double seconds, double tailSeconds, Map<String, Double> cpu, boolean right) {}

  /** One sink from registration to the commit that holds every row, then its table checked. */
  private Drain drain(String kind, String format, String prefix, String schema, String topic)
      throws Exception {
    String sink = prefix + "-" + kind + "-sink";
    boolean apache = kind.equals("apache");
    TableIdentifier id = TableIdentifier.of(apache ? "apache" : "cdc", schema + "_orders");
    Map<String, String> config;
    if (apache) {
      if (connectors.catalog() instanceof SupportsNamespaces namespaces
          && !namespaces.namespaceExists(Namespace.of("apache"))) {
        namespaces.createNamespace(Namespace.of("apache"));
      }
      kafka.create(sink + "-control");
      config = connectors.apacheSink(format, topic, id.toString(), sink + "-control");
    } else {
      config = connectors.sink(format, topic);
    }
    ThreadCpu before = ThreadCpu.sample();
    long start = System.currentTimeMillis();
    connectors.rest().putConnector(sink, config);
    long[] lastRead = {0};
    BenchConnectors.await(
        "the table " + id + " holding every row",
        RUN_TIMEOUT,
        () -> {
          if (lastRead[0] == 0 && TopicWatch.recordsLag(sink, options.partitions()) == 0) {
            lastRead[0] = System.currentTimeMillis();
          }
          return connectors.committedRows(id) >= options.rows();
        });
    Snapshot last = connectors.catalog().loadTable(id).currentSnapshot();
    Map<String, Double> cpu = ThreadCpu.sample().since(before, groups(NONE, sink, kind));
    connectors.rest().delete("connectors/" + sink);
    Thread.sleep(3_000); // the sink task stops before the next one's CPU is counted
    boolean right =
        apache
            ? TableCheck.everyKeyOnce(connectors.catalog().loadTable(id), options.rows())
            : check.floeVerify(schema + ".orders");
    return new Drain(
        (last.timestampMillis() - start) / 1e3,
        lastRead[0] == 0 ? Double.NaN : (last.timestampMillis() - lastRead[0]) / 1e3,
        cpu,
        right);
  }

  /**
   * The worker's threads by role: Connect's task threads are named after their connector; Floe's
   * commit clock after its connector, Apache's coordinator and committers {@code iceberg-coord} and
   * {@code iceberg-committer-N}.
   */
  private static Function<String, String> groups(String source, String sink, String kind) {
    return thread -> {
      if (thread.startsWith("task-thread-" + source)
          || thread.contains("postgresconnector-" + source.replace("-source", ""))) {
        return "source task";
      } else if (thread.startsWith("task-thread-" + sink)) {
        return "sink task";
      } else if (kind.equals("apache")
          ? thread.startsWith("iceberg-coord") || thread.startsWith("iceberg-committer")
          : thread.startsWith(sink)) {
        return "sink commit";
      }
      return "broker, worker, other";
    };
  }

  @Override
  public void close() {
    kafka.close();
  }
}
