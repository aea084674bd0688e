package dev.floe.sink.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

class UuidColumnStatisticsTest {
  private static final Schema SCHEMA =
      new Schema(
          Types.NestedField.required(1, "id", Types.UUIDType.get()),
          Types.NestedField.optional(2, "name", Types.StringType.get()),
          Types.NestedField.optional(3, "ref", Types.UUIDType.get()));

  @Test
  void everyUuidColumnLosesItsStatisticsUnlessTheTableSaysOtherwise() {
    InMemoryCatalog catalog = new InMemoryCatalog();
    catalog.initialize("mem", Map.of());
    catalog.createNamespace(Namespace.of("cdc"));
    Table table =
        catalog.createTable(
            TableIdentifier.of("cdc", "t"),
            SCHEMA,
            PartitionSpec.unpartitioned(),
            Map.of("write.metadata.metrics.column.id", "full")); // the user's choice stays

    UuidColumnStatistics.keepOff(table);
    table.refresh();

    assertEquals("full", table.properties().get("write.metadata.metrics.column.id"));
    assertEquals("false", table.properties().get("write.parquet.stats-enabled.column.id"));
    assertEquals("counts", table.properties().get("write.metadata.metrics.column.ref"));
    assertEquals("false", table.properties().get("write.parquet.stats-enabled.column.ref"));
    assertEquals(null, table.properties().get("write.metadata.metrics.column.name"));
    assertEquals(Map.of(), UuidColumnStatistics.missing(table), "set once: nothing more to set");
  }
}
