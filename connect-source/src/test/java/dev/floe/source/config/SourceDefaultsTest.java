package dev.floe.source.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SourceDefaultsTest {

  @Test
  void addsFloeDefaultsForKeysTheUserLeftOut() {
    Map<String, String> merged = SourceDefaults.apply(Map.of("topic.prefix", "shop"));
    assertEquals("pgoutput", merged.get("plugin.name"));
    assertEquals("filtered", merged.get("publication.autocreate.mode"));
    assertEquals("1", merged.get("snapshot.max.threads"));
    assertEquals("shop", merged.get("topic.prefix"));
  }

  @Test
  void userValuesWin() {
    Map<String, String> merged =
        SourceDefaults.apply(Map.of("slot.name", "mine", "heartbeat.interval.ms", "0"));
    assertEquals("mine", merged.get("slot.name"));
    assertEquals("0", merged.get("heartbeat.interval.ms"));
  }
}
