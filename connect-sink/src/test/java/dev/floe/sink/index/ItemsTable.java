package dev.floe.sink.index;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.apache.iceberg.types.Types;

/** The small keyed table the index's unit tests write: {@code id} (the key) and {@code name}. */
final class ItemsTable {
  static final Schema ROW =
      new Schema(
          List.of(
              Types.NestedField.required(1, "id", Types.LongType.get()),
              Types.NestedField.optional(2, "name", Types.StringType.get())),
          Set.of(1));
  static final Schema KEY = new Schema(ROW.findField("id"));

  private ItemsTable() {}

  /** A new, empty, unpartitioned table of {@link #ROW} in a catalog of its own. */
  static Table empty() {
    InMemoryCatalog catalog = new InMemoryCatalog();
    catalog.initialize("mem", Map.of());
    catalog.createNamespace(Namespace.of("cdc"));
    return catalog.createTable(
        TableIdentifier.of("cdc", "items"), ROW, PartitionSpec.unpartitioned());
  }
}
