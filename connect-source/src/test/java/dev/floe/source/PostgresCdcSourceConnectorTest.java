package dev.floe.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

class PostgresCdcSourceConnectorTest {

  /**
   * Connect's REST layer reads a value for every key the connector declares; a declared key without
   * a value turns a refused config into an HTTP 500 instead of its messages.
   */
  @Test
  void validateAnswersForEveryDeclaredKey() {
    PostgresCdcSourceConnector connector = new PostgresCdcSourceConnector();
    Map<String, String> config =
        Map.of(
            "database.hostname", "127.0.0.1",
            "database.port", "1",
            "database.user", "nobody",
            "database.password", "secret",
            "database.dbname", "nowhere",
            "topic.prefix", "t");
    Set<String> answered = new TreeSet<>();
    for (ConfigValue value : connector.validate(config).configValues()) {
      answered.add(value.name());
    }
    Set<String> declared = new TreeSet<>(connector.config().names());
    declared.removeAll(answered);
    assertEquals(Set.of(), declared, "declared but not validated");
  }
}
