package dev.floe.sink.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.floe.sink.IcebergCdcSinkConnector;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

/** Keys in the sink's namespaces it does not know are refused at validation, naming the fix. */
class UnknownKeysTest {
  @Test
  void apacheSinkKeysAndTyposAreRefusedWithFloesKey() {
    Map<String, String> config = new HashMap<>();
    config.put("connector.class", IcebergCdcSinkConnector.class.getName());
    config.put("topics", "cdc.public.orders");
    config.put("iceberg.catalog.type", "hadoop");
    config.put("iceberg.catalog.warehouse", "/tmp/floe-unknown-keys-test");
    config.put("iceberg.tables.upsert-mode-enabled", "true");
    config.put("iceberg.tables.auto-create-props.format-version", "2");
    config.put("iceberg.control.commit.interval-ms", "1000");
    config.put("iceberg.table.cdc.orders.id-columns", "id");
    config.put("iceberg.tables.namspace", "cdc");
    config.put("iceberg.maintenance.intervall.ms", "1000");
    // known keys stay silent
    config.put("iceberg.tables.namespace", "cdc");
    config.put("iceberg.table.cdc.orders.partition-by", "bucket(id, 4)");
    config.put("iceberg.tables.properties.write.parquet.compression-codec", "zstd");
    config.put("iceberg.maintenance.interval.ms", "60000");

    Map<String, String> errors = errors(new IcebergCdcSinkConnector().validate(config));

    assertTrue(
        errors.get("iceberg.tables.upsert-mode-enabled").contains("iceberg.tables.write-mode"));
    assertTrue(
        errors
            .get("iceberg.tables.auto-create-props.format-version")
            .contains("iceberg.tables.properties."));
    assertTrue(errors.get("iceberg.control.commit.interval-ms").contains("commit.interval.ms"));
    assertTrue(errors.get("iceberg.table.cdc.orders.id-columns").contains("record key"));
    assertTrue(errors.get("iceberg.tables.namspace").contains("not a Floe setting"));
    assertTrue(errors.get("iceberg.maintenance.intervall.ms").contains("not a Floe setting"));
    assertEquals(6, errors.size(), errors.toString());
  }

  private static Map<String, String> errors(Config config) {
    Map<String, String> errors = new TreeMap<>();
    for (ConfigValue value : config.configValues()) {
      if (!value.errorMessages().isEmpty()) {
        errors.put(value.name(), String.join(" ", value.errorMessages()));
      }
    }
    return errors;
  }
}
