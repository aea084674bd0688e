package dev.floe.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * The few calls of Connect's REST API that the local stack and the tests make, as a user would make
 * them.
 */
public final class ConnectRestClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final URI base;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  public ConnectRestClient(URI base) {
    this.base = base;
  }

  /** {@code PUT /connectors/{name}/config}: creates the connector or replaces its config. */
  public JsonNode putConnector(String name, Map<String, String> config) throws IOException {
    return send("PUT", "connectors/" + name + "/config", JSON.writeValueAsString(config));
  }

  /** A PUT of {@code body} as JSON to {@code path}, such as a config validation. */
  public JsonNode put(String path, Map<String, String> body) throws IOException {
    return send("PUT", path, JSON.writeValueAsString(body));
  }

  /** {@code GET /connectors/{name}/status}, or null while Connect has no status for it. */
  public JsonNode status(String name) throws IOException {
    try {
      return send("GET", "connectors/" + name + "/status", null);
    } catch (RestException e) {
      if (e.status == 404) {
        return null;
      }
      throw e;
    }
  }

  public JsonNode get(String path) throws IOException {
    return send("GET", path, null);
  }

  /** A POST without a body, such as {@code connectors/{name}/tasks/0/restart}. */
  public JsonNode post(String path) throws IOException {
    return send("POST", path, null);
  }

  public void delete(String path) throws IOException {
    send("DELETE", path, null);
  }

  /** True when the connector and all of its (at least one) tasks are RUNNING. */
  public boolean isRunning(String name) throws IOException {
    JsonNode status = status(name);
    if (status == null || !"RUNNING".equals(status.path("connector").path("state").asText())) {
      return false;
    }
    JsonNode tasks = status.path("tasks");
    if (tasks.isEmpty()) {
      return false;
    }
    for (JsonNode task : tasks) {
      if (!"RUNNING".equals(task.path("state").asText())) {
        return false;
      }
    }
    return true;
  }

  private JsonNode send(String method, String path, String body) throws IOException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json")
            .header("Accept", "application/json");
    request.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted calling " + path, e);
    }
    if (response.statusCode() >= 400) {
      throw new RestException(response.statusCode(), method + " " + path + ": " + response.body());
    }
    return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
  }

  /** A REST call that Connect answered with an error status. */
  public static final class RestException extends IOException {
    private final int status;

    RestException(int status, String message) {
      super(status + " " + message);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }
}
