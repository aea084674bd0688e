package dev.floe.it;

import java.util.Map;
import org.junit.jupiter.api.BeforeAll;

/** {@link TypeMappingChecks} with Kafka's JsonConverter (schemas inlined) on the topics. */
class TypesIT extends TypeMappingChecks {

  @BeforeAll
  static void startJsonPipeline() throws Exception {
    pipeline = PipelineHarness.start();
    createTable();
    pipeline.startSource(
        "types-source",
        Map.of(
            "topic.prefix",
            "ty",
            "schema.include.list",
            "types",
            "slot.name",
            "ty_slot",
            "publication.name",
            "ty_publication"));
    pipeline.startSink(
        "types-sink", Map.of("topics.regex", "ty\\.types\\..*", "commit.interval.ms", "1000"));
  }
}
