package dev.floe.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Iceberg's own REST catalog server ({@code org.apache.iceberg.rest.RESTCatalogServer}, what the
 * apache/iceberg-rest-fixture image runs) in a JVM of its own, from the jars of {@code classpath}:
 * it serves a backend catalog configured from {@code CATALOG_*} environment variables, as the image
 * takes them. Clients (the sink) reach it only over HTTP.
 */
public final class RestCatalogServer implements AutoCloseable {
  private final Process process;
  private final URI uri;

  private RestCatalogServer(Process process, URI uri) {
    this.process = process;
    this.uri = uri;
  }

  /**
   * Starts the server on a free port, serving a catalog of {@code backend} properties (as {@code
   * CatalogUtil} takes them, e.g. a JDBC catalog on S3), and waits until it answers.
   */
  public static RestCatalogServer start(List<Path> classpath, Map<String, String> backend, Path log)
      throws IOException, InterruptedException {
    int port = FreePorts.pick();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.add("-cp");
    command.add(OtherKafkaWorker.classpath(classpath));
    command.add("org.apache.iceberg.rest.RESTCatalogServer");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    backend.forEach((key, value) -> builder.environment().put(environmentName(key), value));
    builder.environment().put("CATALOG_REST_PORT", String.valueOf(port));
    RestCatalogServer server =
        new RestCatalogServer(builder.start(), URI.create("http://127.0.0.1:" + port));
    server.awaitAnswer();
    return server;
  }

  /**
   * The environment variable the server reads a catalog property from: {@code CATALOG_}, a dash as
   * two underscores, a dot as one ({@code s3.path-style-access} → {@code
   * CATALOG_S3_PATH__STYLE__ACCESS}).
   */
  static String environmentName(String property) {
    return "CATALOG_" + property.replace("-", "__").replace(".", "_").toUpperCase(Locale.ROOT);
  }

  private void awaitAnswer() throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("The REST catalog server exited with " + process.exitValue());
      }
      try {
        HttpResponse<Void> answer =
            http.send(
                HttpRequest.newBuilder(uri.resolve("/v1/config")).GET().build(),
                HttpResponse.BodyHandlers.discarding());
        if (answer.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    close();
    throw new IOException("The REST catalog server did not answer on " + uri);
  }

  /** Where clients reach it: the {@code uri} of a REST catalog. */
  public URI uri() {
    return uri;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
