package dev.floe.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.floe.common.config.NullValuesCheck;
import dev.floe.sink.IcebergCdcSinkConnector;
import dev.floe.sink.errors.BadRecordPolicy;
import dev.floe.source.PostgresCdcSourceConnector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Connector;
import org.junit.jupiter.api.Test;

/** Every REST JSON file under config-examples/ names a Floe connector and passes its ConfigDef. */
class ConfigExamplesTest {

  @Test
  void everyExampleValidatesAgainstItsConnector() throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(Path.of("."))) {
      files =
          walk.filter(p -> p.toString().endsWith(".json") && !p.toString().contains("target"))
              // a dashboard, not a connector
              .filter(p -> !p.getFileName().toString().equals("grafana-dashboard.json"))
              .toList();
    }
    assertFalse(files.isEmpty(), "no examples found");
    for (Path file : files) {
      JsonNode json = new ObjectMapper().readTree(file.toFile());
      assertTrue(json.hasNonNull("name"), file + " has no connector name");
      Map<String, String> config = new HashMap<>();
      json.get("config")
          .fields()
          .forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
      Connector connector = connectorFor(config.get("connector.class"));
      List<String> errors = new ArrayList<>();
      ConfigDef def = connector.config();
      for (ConfigValue value : def.validate(config)) {
        value.errorMessages().forEach(m -> errors.add(value.name() + ": " + m));
      }
      NullValuesCheck.problem(config).ifPresent(problem -> errors.add(problem));
      if (connector instanceof IcebergCdcSinkConnector) {
        // an example never drops the records the sink cannot apply
        String dropping = BadRecordPolicy.warning(config);
        if (dropping != null) {
          errors.add(dropping);
        }
      }
      assertEquals(List.of(), errors, file.toString());
    }
  }

  private static Connector connectorFor(String className) {
    if (PostgresCdcSourceConnector.class.getName().equals(className)) {
      return new PostgresCdcSourceConnector();
    }
    assertEquals(IcebergCdcSinkConnector.class.getName(), className, "unknown connector class");
    return new IcebergCdcSinkConnector();
  }
}
