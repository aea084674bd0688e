package dev.floe.sink.index;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.types.Types;

/**
 * The key indexes of the tables one task writes, kept across its writers of a table (a writer is
 * opened again after a schema change; the keys are the same) and built again when the table's key
 * changes.
 */
public final class KeyIndexes {
  /** No index: every written key gets an equality delete, as without one. */
  public static final KeyIndexes NONE = new KeyIndexes(false);

  private final boolean enabled;
  private final Map<String, KeyIndex> byTable = new HashMap<>();
  private final Map<String, List<Integer>> keyOf = new HashMap<>();

  public KeyIndexes(boolean enabled) {
    this.enabled = enabled;
  }

  /** The index of {@code table} keyed by {@code keySchema}; null when it cannot have one. */
  public synchronized KeyIndex of(Table table, Schema keySchema) {
    if (!enabled || !KeyBytes.supports(keySchema)) {
      return null;
    }
    List<Integer> ids = keySchema.columns().stream().map(Types.NestedField::fieldId).toList();
    if (!ids.equals(keyOf.get(table.name()))) {
      keyOf.put(table.name(), ids);
      byTable.put(table.name(), new KeyIndex(keySchema));
    }
    return byTable.get(table.name());
  }

  /** {@code table} cannot be indexed (a data file another writer made that it cannot read). */
  public synchronized void drop(Table table) {
    byTable.remove(table.name());
  }
}
