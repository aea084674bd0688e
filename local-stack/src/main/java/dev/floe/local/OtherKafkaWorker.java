package dev.floe.local;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The command line of a Connect worker of another Kafka release than the stack's (the jars of
 * {@code workerClasspath}): {@code ConnectDistributed} with a worker properties file, as {@code
 * connect-distributed.sh} runs it, so nothing of this JVM's Kafka reaches it. Its log4j 1
 * (reload4j) configuration sends the log to standard output, which the fork appends to its log.
 */
final class OtherKafkaWorker {
  private OtherKafkaWorker() {}

  static List<String> command(
      String bootstrapServers,
      Path pluginPath,
      int port,
      String groupId,
      Map<String, String> overrides,
      List<Path> workerClasspath,
      Path log)
      throws IOException {
    Properties worker = new Properties();
    worker.putAll(LocalConnectWorker.workerProperties(bootstrapServers, pluginPath, port, groupId));
    worker.putAll(overrides);
    Path dir = log.toAbsolutePath().getParent();
    Path workerFile = dir.resolve("connect-distributed.properties");
    try (OutputStream out = Files.newOutputStream(workerFile)) {
      worker.store(out, "Connect worker of another Kafka release, written by the local stack");
    }
    Path log4j = dir.resolve("connect-log4j.properties");
    Files.writeString(
        log4j,
        String.join(
            "\n",
            "log4j.rootLogger=INFO, stdout",
            "log4j.appender.stdout=org.apache.log4j.ConsoleAppender",
            "log4j.appender.stdout.layout=org.apache.log4j.PatternLayout",
            "log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n",
            "log4j.logger.org.reflections=ERROR",
            ""));
    List<String> command = new ArrayList<>();
    command.add("-Dlog4j.configuration=" + log4j.toUri());
    command.add("-cp");
    command.add(classpath(workerClasspath));
    command.add("org.apache.kafka.connect.cli.ConnectDistributed");
    command.add(workerFile.toString());
    return command;
  }

  /** A {@code -cp} value of {@code jars}, for a JVM of its own. */
  static String classpath(List<Path> jars) {
    return jars.stream()
        .map(path -> path.toAbsolutePath().toString())
        .collect(Collectors.joining(java.io.File.pathSeparator));
  }
}
