package dev.floe.source.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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

  @Test
  void theHeartbeatTableJoinsTheIncludeListsTheUserSet() {
    Map<String, String> merged =
        SourceDefaults.apply(
            Map.of("schema.include.list", "shop, floe_x", "table.include.list", "shop\\.orders"));
    assertEquals("shop, floe_x,floe", merged.get("schema.include.list"));
    assertEquals("shop\\.orders,floe\\.floe_heartbeat", merged.get("table.include.list"));
    assertEquals("true", merged.get("publish.via.partition.root"));
    assertEquals("floe.floe_signal", merged.get("signal.data.collection"));
  }

  @Test
  void listsStayAsTheyAreWhenUnsetOrWhenTheUserHasTheirOwnHeartbeat() {
    Map<String, String> merged = SourceDefaults.apply(Map.of("topic.prefix", "shop"));
    assertNull(merged.get("schema.include.list"));
    assertNull(merged.get("table.include.list"));
    merged =
        SourceDefaults.apply(
            Map.of("schema.include.list", "shop", "heartbeat.action.query", "SELECT 1"));
    assertEquals("shop", merged.get("schema.include.list"));
  }
}
