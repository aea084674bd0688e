package dev.floe.sink.schema;

import java.util.Map;
import java.util.StringJoiner;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Transaction;
import org.apache.iceberg.UpdateSchema;

/**
 * Applies the renames {@link ColumnIdentities} found, inside the transaction that also evolves the
 * schema and records the columns' numbers. Where a new name is held by a column that moves too (two
 * columns swapping names, a dropped column moving aside for its successor), every renamed column
 * first takes a temporary name of its own: Iceberg follows a rename of a key column by name, and a
 * swap in one step would leave the key on the wrong column.
 */
final class ColumnRenames {
  private static final String TEMPORARY = "__floe_renaming_";

  private ColumnRenames() {}

  /** Renames the columns of {@code schema} (by field id) in {@code tx}; nothing when empty. */
  static void apply(Transaction tx, Schema schema, Map<Integer, String> renames) {
    if (renames.isEmpty()) {
      return;
    }
    boolean taken = renames.values().stream().anyMatch(name -> schema.findField(name) != null);
    if (taken) {
      UpdateSchema toTemporary = tx.updateSchema();
      renames
          .keySet()
          .forEach(id -> toTemporary.renameColumn(schema.findColumnName(id), TEMPORARY + id));
      toTemporary.commit();
    }
    UpdateSchema rename = tx.updateSchema();
    renames.forEach(
        (id, name) ->
            rename.renameColumn(taken ? TEMPORARY + id : schema.findColumnName(id), name));
    rename.commit();
  }

  /** "rename a to b; " for each rename, for the log. */
  static String describe(Schema schema, Map<Integer, String> renames) {
    StringJoiner text = new StringJoiner("; ", "", renames.isEmpty() ? "" : "; ");
    renames.forEach((id, name) -> text.add("rename " + schema.findColumnName(id) + " to " + name));
    return text.toString();
  }
}
