package dev.floe.sink.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

/**
 * Which scans are planned in the calling thread rather than on Iceberg's pool, whose consumer polls
 * every 10 ms: few manifests, or manifests that Iceberg's manifest cache holds.
 */
class SmallPlansTest {
  private static final Schema SCHEMA =
      new Schema(Types.NestedField.required(1, "id", Types.IntegerType.get()));

  @Test
  void fewManifestsAreAlwaysPlannedInTheCallingThread() {
    Table table = tableWithManifests(Map.of(), SmallPlans.MAX_INLINE_MANIFESTS);
    assertTrue(SmallPlans.inline(table, table.currentSnapshot()));
  }

  @Test
  void manyManifestsAreInlineOnlyWhenTheManifestCacheHoldsThem() {
    int many = SmallPlans.MAX_INLINE_MANIFESTS + 4;
    Table uncached = tableWithManifests(Map.of(), many);
    assertEquals(many, uncached.currentSnapshot().allManifests(uncached.io()).size());
    assertFalse(SmallPlans.inline(uncached, uncached.currentSnapshot()), "the pool reads them");

    Table cached =
        tableWithManifests(Map.of(CatalogProperties.IO_MANIFEST_CACHE_ENABLED, "true"), many);
    assertTrue(SmallPlans.inline(cached, cached.currentSnapshot()), "read from memory");

    Table tooLarge =
        tableWithManifests(
            Map.of(
                CatalogProperties.IO_MANIFEST_CACHE_ENABLED,
                "true",
                CatalogProperties.IO_MANIFEST_CACHE_MAX_TOTAL_BYTES,
                "1024"),
            many);
    assertFalse(
        SmallPlans.inline(tooLarge, tooLarge.currentSnapshot()),
        "more than the cache holds: read from the store at each plan, on the pool");
  }

  /** A table whose current snapshot has {@code manifests} manifests, one per append. */
  private static Table tableWithManifests(Map<String, String> catalogProperties, int manifests) {
    InMemoryCatalog catalog = new InMemoryCatalog();
    catalog.initialize("mem", new HashMap<>(catalogProperties));
    catalog.createNamespace(Namespace.of("cdc"));
    Table table = catalog.createTable(TableIdentifier.of("cdc", "items"), SCHEMA);
    for (int i = 0; i < manifests; i++) {
      table
          .newFastAppend()
          .appendFile(
              DataFiles.builder(PartitionSpec.unpartitioned())
                  .withPath("/cdc/items/data/" + i + ".parquet")
                  .withFileSizeInBytes(100)
                  .withRecordCount(1)
                  .withFormat(FileFormat.PARQUET)
                  .build())
          .commit();
    }
    return table;
  }
}
