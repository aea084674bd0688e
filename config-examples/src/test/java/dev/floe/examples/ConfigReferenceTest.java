package dev.floe.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.floe.sink.IcebergCdcSinkConnector;
import dev.floe.source.config.SourceConfig;
import dev.floe.source.config.SourceDefaults;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md is generated from the connectors' ConfigDefs, so the reference cannot drift
 * from the code. When a key changes, regenerate it: {@code ./mvnw -pl config-examples -am test
 * -Dfloe.docs.update=true}.
 */
class ConfigReferenceTest {
  private static final Path REFERENCE = Path.of("..", "docs", "configuration.md");

  @Test
  void theReferenceMatchesTheConfigDefs() throws Exception {
    String generated = render();
    if (Boolean.getBoolean("floe.docs.update")) {
      Files.writeString(REFERENCE, generated);
    }
    String committed = Files.exists(REFERENCE) ? Files.readString(REFERENCE) : "";
    assertEquals(
        generated,
        committed,
        "docs/configuration.md is out of date: run ./mvnw -pl config-examples -am test"
            + " -Dfloe.docs.update=true");
  }

  static String render() {
    StringBuilder md = new StringBuilder();
    md.append("# Configuration reference\n\n")
        .append(
            "Generated from the connectors' ConfigDefs by `ConfigReferenceTest`; do not edit.\n\n")
        .append("## Sink: `dev.floe.sink.IcebergCdcSinkConnector`\n\n")
        .append("Besides Kafka Connect's own sink settings (`topics`, `topics.regex`, `errors.*`,")
        .append(" converters, transforms), and the pass-through keys `iceberg.catalog.*` (to")
        .append(" Iceberg's `CatalogUtil`), `iceberg.tables.properties.*` (properties of created")
        .append(
            " tables) and `iceberg.table.<namespace>.<table>.partition-by` (the partition spec of")
        .append(" a created table, as Iceberg transforms):\n\n")
        .append(keyTable(new IcebergCdcSinkConnector().config()))
        .append("\nA record the sink cannot apply goes to the dead letter topic when")
        .append(" `errors.tolerance=all` and `errors.deadletterqueue.topic.name` are set. With")
        .append(" `errors.tolerance=all` alone it is dropped: logged as DROPPED with its topic,")
        .append(" partition and offset and counted in the metric `dropped-records-total`, written")
        .append(" nowhere. That setting is legal, so validation does not refuse it; the validation")
        .append(" and each task's start log a warning. With `errors.tolerance=none` (Connect's")
        .append(" default) the task fails with the reason.\n");
    md.append("\n## Source: `dev.floe.source.PostgresCdcSourceConnector`\n\n")
        .append("Every setting of Debezium's Postgres connector applies. Floe sets these defaults;")
        .append(" a value in the connector's config wins (why each:")
        .append(" [source-operations.md](source-operations.md)):\n\n")
        .append("| key | Floe default |\n|---|---|\n");
    Map<String, String> defaults = new TreeMap<>(SourceDefaults.defaults());
    defaults.forEach(
        (k, v) -> md.append("| `").append(k).append("` | `").append(escape(v)).append("` |\n"));
    md.append("\nFloe's own source settings (the preflight checks of the database, see")
        .append(" [source-privileges.md](source-privileges.md) for the role they expect; the")
        .append(" replication slot's health):\n\n")
        .append(keyTable(SourceConfig.CONFIG_DEF));
    return md.toString();
  }

  private static String keyTable(ConfigDef def) {
    StringBuilder md =
        new StringBuilder(
            "| key | type | default | valid values | importance | description |\n"
                + "|---|---|---|---|---|---|\n");
    for (ConfigDef.ConfigKey key : def.configKeys().values()) {
      md.append("| `")
          .append(key.name)
          .append("` | ")
          .append(key.type.name().toLowerCase())
          .append(" | ")
          .append(key.hasDefault() ? "`" + key.defaultValue + "`" : "(required)")
          .append(" | ")
          .append(key.validator == null ? "" : escape(key.validator.toString()))
          .append(" | ")
          .append(key.importance.name().toLowerCase())
          .append(" | ")
          .append(escape(key.documentation))
          .append(" |\n");
    }
    return md.toString();
  }

  private static String escape(String text) {
    return text == null ? "" : text.replace("|", "\\|").replace("\n", " ");
  }
}
