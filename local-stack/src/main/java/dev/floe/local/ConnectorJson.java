package dev.floe.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A connector's REST JSON file ({@code {"name": ..., "config": {...}}}), the form of
 * config-examples/, read into the name and settings that {@code PUT /connectors/{name}/config}
 * takes.
 */
public record ConnectorJson(String name, Map<String, String> config) {

  public static ConnectorJson read(Path file) throws IOException {
    JsonNode json = new ObjectMapper().readTree(file.toFile());
    if (!json.hasNonNull("name") || !json.path("config").isObject()) {
      throw new IOException(file + " is not of the form {\"name\": ..., \"config\": {...}}");
    }
    Map<String, String> config = new HashMap<>();
    json.get("config")
        .fields()
        .forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
    return new ConnectorJson(json.get("name").asText(), config);
  }
}
