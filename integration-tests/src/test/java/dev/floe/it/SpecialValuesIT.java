package dev.floe.it;

import org.junit.jupiter.api.BeforeAll;

/** {@link SpecialValueChecks} with Kafka's JsonConverter (schemas inlined) on the topics. */
class SpecialValuesIT extends SpecialValueChecks {

  @BeforeAll
  static void startJsonPipeline() throws Exception {
    pipeline = PipelineHarness.start();
    createTablesAndConnectors();
  }
}
