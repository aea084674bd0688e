package dev.floe.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

class NullValuesCheckTest {

  @Test
  void theJsonConverterNeedsReplaceNullWithDefaultOff() {
    Map<String, String> config =
        new HashMap<>(Map.of("value.converter", "org.apache.kafka.connect.json.JsonConverter"));
    assertTrue(
        NullValuesCheck.problem(config)
            .orElseThrow()
            .startsWith("Set " + NullValuesCheck.KEY + "=false"));
    config.put(NullValuesCheck.KEY, "false");
    assertEquals(Optional.empty(), NullValuesCheck.problem(config));
  }

  @Test
  void confluentsAvroConverterNeedsIgnoreDefaultForNullables() {
    Map<String, String> config =
        new HashMap<>(Map.of("value.converter", "io.confluent.connect.avro.AvroConverter"));
    Map<String, ConfigValue> byKey = new HashMap<>();
    NullValuesCheck.check(config, byKey);
    String key = "value.converter.ignore.default.for.nullables";
    assertTrue(
        byKey.get(key).errorMessages().get(0).startsWith("Set " + key + "=true"), byKey.toString());
    config.put(key, "true");
    assertEquals(Optional.empty(), NullValuesCheck.problem(config));
  }

  @Test
  void apicuriosAvroConverterNeedsNoSetting() {
    assertEquals(
        Optional.empty(),
        NullValuesCheck.problem(
            Map.of("value.converter", "io.apicurio.registry.utils.converter.AvroConverter")));
  }
}
