package dev.floe.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;

/**
 * {@code floe-local up}: the whole pipeline on this machine. Starts the {@link LocalStack},
 * registers the source and sink from {@code config-examples/local/*.json} through Connect's REST
 * API, optionally keeps a demo workload writing, and prints one status line every few seconds until
 * Ctrl-C.
 */
public final class FloeLocal {
  private FloeLocal() {}

  public static void main(String[] args) throws Exception {
    LocalOptions options = LocalOptions.parse(args);
    if (options == null) {
      System.out.println(LocalOptions.USAGE);
      return;
    }
    Files.createDirectories(options.dataDir());
    System.out.println("Starting Floe's local pipeline (data in " + options.dataDir() + ") ...");
    LocalStack stack =
        LocalStack.start(
            new LocalStack.Settings(
                options.dataDir(),
                options.externalPostgres(),
                options.postgresPort(),
                options.kafkaPort(),
                options.connectPort(),
                options.s3Port(),
                options.pluginArchives(),
                Map.of(),
                false));
    // Ctrl-C (or a TERM) stops the pipeline in order: workload, worker, Kafka, S3, Postgres.
    // Shutdown hooks would run concurrently with embedded Postgres's own hook and pull the
    // database from under the worker.
    CountDownLatch stopRequested = new CountDownLatch(1);
    for (String signal : List.of("INT", "TERM")) {
      Signal.handle(new Signal(signal), s -> stopRequested.countDown());
    }
    List<AutoCloseable> running = new ArrayList<>();
    int exitCode = 0;
    try {
      if (options.registryPort() > 0) {
        running.add(LocalSchemaRegistry.start(options.registryPort()));
      }
      if (options.demo()) {
        running.add(DemoWorkload.start(stack.source()));
      } else if (options.externalPostgres() == null) {
        DemoWorkload.createTables(stack.source());
      }
      register(stack, options.configDir(), running);
      printEndpoints(stack, options);
      running.add(0, StatusReporter.start(stack, options.statusIntervalSeconds()));
      stopRequested.await();
    } catch (Exception | Error e) {
      System.err.println("floe-local could not start: " + e);
      e.printStackTrace();
      exitCode = 1;
    }
    System.out.println("\nStopping ...");
    haltIfStuck(Duration.ofSeconds(90));
    running.forEach(FloeLocal::closeQuietly);
    stack.close();
    System.out.println(
        "Stopped. Data kept in " + options.dataDir() + "; `floe-local up` resumes from it.");
    System.exit(exitCode);
  }

  private static void haltIfStuck(Duration deadline) {
    Thread watchdog =
        new Thread(
            () -> {
              try {
                Thread.sleep(deadline.toMillis());
                System.err.println("Stopping took longer than " + deadline + ": halting.");
                Runtime.getRuntime().halt(2);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "floe-local-stop-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
  }

  private static void register(LocalStack stack, Path configDir, List<AutoCloseable> running)
      throws Exception {
    ConnectRestClient rest = stack.worker().rest();
    ConnectorJson source = ConnectorJson.read(configDir.resolve("postgres-source.json"));
    ConnectorJson sink = ConnectorJson.read(configDir.resolve("iceberg-sink.json"));
    rest.putConnector(source.name(), withRegistry(stack.sourceConfig(source.config()), running));
    rest.putConnector(sink.name(), withRegistry(stack.sinkConfig(sink.config()), running));
  }

  /** The config with its converters pointed at the registry floe-local started, if it did. */
  private static Map<String, String> withRegistry(
      Map<String, String> config, List<AutoCloseable> running) {
    running.stream()
        .filter(LocalSchemaRegistry.class::isInstance)
        .map(LocalSchemaRegistry.class::cast)
        .findFirst()
        .ifPresent(registry -> registry.pointConvertersHere(config));
    return config;
  }

  private static void printEndpoints(LocalStack stack, LocalOptions options) {
    System.out.println("Floe is running on loopback:");
    System.out.println("  Postgres        " + stack.source());
    System.out.println("  Kafka           " + stack.kafka().bootstrapServers());
    System.out.println("  Connect REST    " + stack.worker().restUrl());
    System.out.println(
        "  S3 endpoint     "
            + stack.s3().endpoint()
            + "  (bucket "
            + LocalStack.BUCKET
            + ", key "
            + LocalS3.ACCESS_KEY
            + ")");
    System.out.println(
        "  Iceberg catalog " + stack.catalogProperties().get("uri") + "  (JDBC, namespace cdc)");
    System.out.println(
        "  JMX             " + System.getProperty("com.sun.management.jmxremote.port", "(off)"));
    if (options.registryPort() > 0) {
      System.out.println(
          "  Schema registry http://127.0.0.1:"
              + options.registryPort()
              + "/apis/registry/v2  (Avro on the topics, Confluent wire format)");
    }
    System.out.println(
        "  Logs            " + System.getProperty("floe.local.log", "floe-local.log"));
    System.out.println(
        options.demo() ? "Demo workload: writing to schema demo." : "No workload (add --demo).");
    System.out.println("Ctrl-C stops everything.");
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      System.err.println("Stopping " + closeable.getClass().getSimpleName() + ": " + e);
    }
  }
}
