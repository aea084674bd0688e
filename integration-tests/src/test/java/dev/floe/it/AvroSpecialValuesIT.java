package dev.floe.it;

import org.junit.jupiter.api.BeforeAll;

/**
 * {@link SpecialValueChecks} with Avro on the topics (Apicurio's AvroConverter in Confluent's wire
 * format, a schema registry, connectors from config-examples/avro): NaN, infinities and -0 in real
 * and double columns and arrays, date infinities, BC dates, numeric NaN, and columns whose DEFAULT
 * is one of them, through the snapshot and the WAL.
 */
class AvroSpecialValuesIT extends SpecialValueChecks {

  @BeforeAll
  static void startAvroPipeline() throws Exception {
    pipeline = PipelineHarness.startWithAvro();
    createTablesAndConnectors();
  }
}
