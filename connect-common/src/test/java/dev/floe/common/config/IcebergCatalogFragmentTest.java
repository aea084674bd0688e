package dev.floe.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class IcebergCatalogFragmentTest {

  @Test
  void passesCatalogSettingsThroughWithoutThePrefix() {
    Map<String, String> props =
        Map.of(
            "iceberg.catalog.type",
            "jdbc",
            "iceberg.catalog.s3.endpoint",
            "http://127.0.0.1:9000",
            "iceberg.catalog-name",
            "lake",
            "topics",
            "a");
    assertEquals(
        Map.of("type", "jdbc", "s3.endpoint", "http://127.0.0.1:9000"),
        IcebergCatalogFragment.catalogProperties(props));
  }

  @Test
  void namesTheKeyWhenNoCatalogIsChosen() {
    String problem = IcebergCatalogFragment.problem(Map.of("iceberg.catalog.uri", "jdbc:x"));
    assertTrue(problem.contains("iceberg.catalog.type"), problem);
    assertNull(IcebergCatalogFragment.problem(Map.of("iceberg.catalog.type", "rest")));
  }
}
