package dev.floe.it;

import org.junit.jupiter.api.BeforeAll;

/**
 * {@link TypeMappingChecks} with Avro on the topics (Apicurio's AvroConverter in Confluent's wire
 * format, a schema registry, connectors from config-examples/avro): every type Floe maps, with
 * ordinary, edge and special values and all-null rows, through the snapshot and the WAL, must
 * arrive as Postgres holds it, as with JSON; and {@code floe verify} finds the table equal.
 */
class AvroTypesIT extends TypeMappingChecks {

  @BeforeAll
  static void startAvroPipeline() throws Exception {
    pipeline = PipelineHarness.startWithAvro();
    createTableAndConnectors();
  }
}
