package dev.floe.it;

import org.junit.jupiter.api.BeforeAll;

/** {@link TypeMappingChecks} with Kafka's JsonConverter (schemas inlined) on the topics. */
class TypesIT extends TypeMappingChecks {

  @BeforeAll
  static void startJsonPipeline() throws Exception {
    pipeline = PipelineHarness.start();
    createTableAndConnectors();
  }
}
