package dev.floe.bench.pipeline;

import dev.floe.local.LocalSchemaRegistry;
import dev.floe.local.LocalStack;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/** One run of the pipeline benchmark: a fresh table, the source's snapshot, the sink's drain. */
final class PipelineRun {
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(30);

  private final LocalStack stack;
  private final BenchOptions options;
  private final BenchConnectors connectors;
  private final Admin admin;

  PipelineRun(LocalStack stack, LocalSchemaRegistry registry, BenchOptions options) {
    this.stack = stack;
    this.options = options;
    this.connectors = new BenchConnectors(stack, registry, options);
    Properties admin = new Properties();
    admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers());
    this.admin = Admin.create(admin);
  }

  RunResult run(String format, int repeat) throws Exception {
    String schema = "b" + repeat + "_" + format;
    String prefix = "b" + repeat + format;
    String topic = prefix + "." + schema + ".orders";
    String source = prefix + "-source";
    String sink = prefix + "-sink";
    OrdersTable.create(stack.source(), schema, options.rows());

    Map<String, String> sourceConfig = connectors.source(format, prefix, schema);
    ThreadCpu beforeSource = ThreadCpu.sample();
    long sourceStart = System.nanoTime();
    connectors.rest().putConnector(source, sourceConfig);
    BenchConnectors.await(
        "the topic holding every row", RUN_TIMEOUT, () -> endOffset(topic) >= options.rows());
    double sourceSeconds = (System.nanoTime() - sourceStart) / 1e9;
    Map<String, Double> sourceCpu = ThreadCpu.sample().since(beforeSource, groups(source, sink));
    connectors.rest().delete("connectors/" + source);
    Thread.sleep(3_000); // the source task stops before the sink's CPU is counted

    Map<String, String> sinkConfig = connectors.sink(format, topic);
    ThreadCpu beforeSink = ThreadCpu.sample();
    long sinkStart = System.currentTimeMillis();
    connectors.rest().putConnector(sink, sinkConfig);
    TableIdentifier id = TableIdentifier.of("cdc", schema + "_orders");
    long[] lastRead = {0};
    BenchConnectors.await(
        "the table holding every row",
        RUN_TIMEOUT,
        () -> {
          if (lastRead[0] == 0 && recordsLag(sink) == 0) {
            lastRead[0] = System.currentTimeMillis();
          }
          return connectors.committedRows(id) >= options.rows();
        });
    Snapshot last = connectors.catalog().loadTable(id).currentSnapshot();
    Map<String, Double> sinkCpu = ThreadCpu.sample().since(beforeSink, groups(source, sink));
    connectors.rest().delete("connectors/" + sink);
    double sinkSeconds = (last.timestampMillis() - sinkStart) / 1e3;
    double tailSeconds =
        lastRead[0] == 0 ? Double.NaN : (last.timestampMillis() - lastRead[0]) / 1e3;
    return new RunResult(
        format,
        repeat,
        options.rows(),
        sourceSeconds,
        sinkSeconds,
        tailSeconds,
        sourceCpu,
        sinkCpu,
        topicBytes(topic),
        verify(schema + ".orders"));
  }

  private static java.util.function.Function<String, String> groups(String source, String sink) {
    return thread -> {
      if (thread.startsWith("task-thread-" + source)
          || thread.contains("postgresconnector-" + source.replace("-source", ""))) {
        return "source task";
      } else if (thread.startsWith("task-thread-" + sink)) {
        return "sink task";
      } else if (thread.startsWith(sink)) {
        return "sink commit";
      }
      return "broker, worker, other";
    };
  }

  /**
   * The sink consumer's lag on its partition (Kafka's consumer metric), or -1 before it has one.
   */
  private static double recordsLag(String sink) throws Exception {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    Set<ObjectName> names =
        server.queryNames(
            new ObjectName(
                "kafka.consumer:type=consumer-fetch-manager-metrics,client-id=connector-consumer-"
                    + sink
                    + "-0,*"),
            null);
    for (ObjectName name : names) {
      if (name.getKeyProperty("partition") != null) {
        for (javax.management.MBeanAttributeInfo attribute :
            server.getMBeanInfo(name).getAttributes()) {
          if (attribute.getName().equals("records-lag")) {
            Object lag = server.getAttribute(name, "records-lag");
            return lag instanceof Double d && !d.isNaN() ? d : -1;
          }
        }
        // records-lag appears once the consumer has fetched from the partition
      }
    }
    return -1;
  }

  private long endOffset(String topic) throws Exception {
    TopicPartition partition = new TopicPartition(topic, 0);
    if (!admin.listTopics().names().get(10, TimeUnit.SECONDS).contains(topic)) {
      return 0;
    }
    try {
      return admin
          .listOffsets(Map.of(partition, OffsetSpec.latest()))
          .partitionResult(partition)
          .get(10, TimeUnit.SECONDS)
          .offset();
    } catch (java.util.concurrent.ExecutionException notYet) {
      return 0;
    }
  }

  private long topicBytes(String topic) throws Exception {
    List<Integer> brokers =
        admin.describeCluster().nodes().get().stream().map(n -> n.id()).toList();
    return admin.describeLogDirs(brokers).allDescriptions().get().values().stream()
        .flatMap(dirs -> dirs.values().stream())
        .flatMap(dir -> dir.replicaInfos().entrySet().stream())
        .filter(e -> e.getKey().topic().equals(topic))
        .mapToLong(e -> e.getValue().size())
        .sum();
  }

  /** floe verify, in a JVM of its own as bin/floe-verify runs it: true when the table is equal. */
  private boolean verify(String pgTable) throws Exception {
    Path home = options.root().resolve("verify/target");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-cp");
    command.add(home.resolve("classes") + File.pathSeparator + home.resolve("lib") + "/*");
    command.add("dev.floe.verify.FloeVerify");
    command.addAll(
        List.of(
            "--postgres-url", stack.source().jdbcUrl(),
            "--postgres-user", stack.source().user(),
            "--postgres-password", stack.source().password(),
            "--tables", pgTable));
    stack.catalogProperties().forEach((k, v) -> command.addAll(List.of("--catalog", k + "=" + v)));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    boolean equal = process.waitFor() == 0;
    if (!equal) {
      System.out.println(output);
    }
    return equal;
  }
}
