package dev.floe.it;

import org.junit.jupiter.api.AfterAll;

/**
 * An integration test class with one pipeline of its own: a subclass starts it in its
 * {@code @BeforeAll} (plain, with a forked worker, or on an external database) and this class stops
 * it.
 */
abstract class PipelineTestBase {
  static PipelineHarness pipeline;

  @AfterAll
  static void stopPipeline() throws Exception {
    if (pipeline != null) {
      pipeline.close();
      pipeline = null;
    }
  }
}
