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
    assertEquals("false", merged.get("extended.headers.enabled"));
    assertEquals("shop", merged.get("topic.prefix"));
  }

  @Test
  void anAvroConverterGetsAvroNames() {
    String apicurio = "io.apicurio.registry.utils.converter.AvroConverter";
    Map<String, String> merged = SourceDefaults.apply(Map.of("value.converter", apicurio));
    assertEquals("avro", merged.get("schema.name.adjustment.mode"));
    assertEquals("avro", merged.get("field.name.adjustment.mode"));
    merged =
        SourceDefaults.apply(
            Map.of("value.converter", apicurio, "field.name.adjustment.mode", "avro_unicode"));
    assertEquals("avro_unicode", merged.get("field.name.adjustment.mode"), "the user's choice");
    assertNull(SourceDefaults.apply(Map.of()).get("schema.name.adjustment.mode"), "JSON: as is");
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
