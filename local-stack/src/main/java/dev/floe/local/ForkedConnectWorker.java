package dev.floe.local;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Connect worker in a JVM of its own, so that it can be killed abruptly (SIGKILL) the way a
 * crashed machine stops: no task is stopped, no offset committed, no file closed.
 */
public final class ForkedConnectWorker implements ConnectWorker {
  private final Process process;
  private final URI restUrl;

  private ForkedConnectWorker(Process process, URI restUrl) {
    this.process = process;
    this.restUrl = restUrl;
  }

  /**
   * Starts a worker process and waits until its REST API answers. With an empty {@code
   * workerClasspath} the worker is this JVM's Kafka; otherwise it is the Kafka Connect those jars
   * are (an older release), started as {@code connect-distributed.sh} starts it. {@code jvmOptions}
   * go to its JVM (a Java agent, say).
   */
  public static ForkedConnectWorker start(
      String bootstrapServers,
      Path pluginPath,
      int restPort,
      String groupId,
      Map<String, String> overrides,
      Map<String, String> systemProperties,
      List<String> jvmOptions,
      List<Path> workerClasspath,
      Path log)
      throws IOException, InterruptedException {
    int port = restPort > 0 ? restPort : FreePorts.pick();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx1g");
    command.addAll(jvmOptions);
    systemProperties.forEach((key, value) -> command.add("-D" + key + "=" + value));
    if (workerClasspath.isEmpty()) {
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add(ConnectWorkerProcess.class.getName());
      command.addAll(List.of(bootstrapServers, pluginPath.toAbsolutePath().toString()));
      command.addAll(List.of(String.valueOf(port), groupId));
      overrides.forEach((key, value) -> command.add(key + "=" + value));
    } else {
      command.addAll(
          OtherKafkaWorker.command(
              bootstrapServers, pluginPath, port, groupId, overrides, workerClasspath, log));
    }
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    ForkedConnectWorker worker =
        new ForkedConnectWorker(process, URI.create("http://127.0.0.1:" + port + "/"));
    worker.awaitRest();
    return worker;
  }

  private void awaitRest() throws InterruptedException, IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("The Connect worker process exited with " + process.exitValue());
      }
      try {
        rest().get("");
        return;
      } catch (IOException notYet) {
        Thread.sleep(250);
      }
    }
    kill();
    throw new IOException("The Connect worker process did not answer on " + restUrl);
  }

  @Override
  public boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public URI restUrl() {
    return restUrl;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        kill();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill();
    }
  }

  @Override
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
