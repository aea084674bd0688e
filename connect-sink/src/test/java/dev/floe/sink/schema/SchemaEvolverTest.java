package dev.floe.sink.schema;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.junit.jupiter.api.Test;

/** What the evolver remembers about row shapes it has seen stays bounded. */
class SchemaEvolverTest {

  @Test
  void rowShapesAreRememberedBoundedSoSchemaObjectsAConverterDroppedAreCollected() {
    InMemoryCatalog catalog = new InMemoryCatalog();
    catalog.initialize("mem", Map.of());
    catalog.createNamespace(Namespace.of("cdc"));
    Table table =
        catalog.createTable(
            TableIdentifier.of("cdc", "items"),
            TypeMapping.toIcebergSchema(shape(), Set.of("id")),
            PartitionSpec.unpartitioned());
    SchemaEvolver evolver = new SchemaEvolver(true);
    // a converter whose cache turns over makes a new, equal schema object for each record
    int shapes = 3 * FittingShapes.REMEMBERED;
    List<WeakReference<Schema>> seen = new ArrayList<>();
    for (int i = 0; i < shapes; i++) {
      Schema row = shape();
      assertFalse(evolver.needsEvolution(table.schema(), table, row));
      assertFalse(evolver.needsEvolution(table.schema(), table, row), "remembered");
      seen.add(new WeakReference<>(row));
    }
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    long kept = seen.stream().filter(ref -> ref.get() != null).count();
    assertTrue(
        kept <= FittingShapes.REMEMBERED, kept + " of " + shapes + " row schemas are still held");
    // and what it remembers is still right: a new column needs the table to change
    Schema wider =
        SchemaBuilder.struct()
            .name("row")
            .optional()
            .field("id", Schema.INT32_SCHEMA)
            .field("name", Schema.OPTIONAL_STRING_SCHEMA)
            .field("qty", Schema.OPTIONAL_INT32_SCHEMA)
            .build();
    assertTrue(evolver.needsEvolution(table.schema(), table, wider));
  }

  private static Schema shape() {
    return SchemaBuilder.struct()
        .name("row")
        .optional()
        .field("id", Schema.INT32_SCHEMA)
        .field("name", Schema.OPTIONAL_STRING_SCHEMA)
        .build();
  }
}
