package dev.floe.sink.schema;

import dev.floe.sink.schema.ColumnNumbering.Numbered;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Types.NestedField;
import org.apache.kafka.connect.data.Field;

/**
 * Matches a change's columns to the table's by their Postgres column numbers ({@link
 * ColumnNumbering}) rather than their names: a column renamed in Postgres is renamed in Iceberg and
 * keeps its values; a column dropped and added again under its name is a new Iceberg column (the
 * old one moves aside as {@code <name>__dropped_<attnum>}), so rows from before read null, as in
 * Postgres. Which name a column shows is decided by the change's LSN against the LSN its current
 * name was first seen at: a change from before a rename (a late one, from another partition) is
 * written into the renamed column without renaming it back. Columns without a number go by name.
 *
 * @param renames Iceberg field id to its new name, in the order found
 * @param targets a change's column name to the Iceberg column (by its name after the renames) its
 *     values go to, where the two differ and no rename makes them equal
 * @param numbering the numbering after the change, for the columns that exist before it
 * @param added the numbers of the columns to add, by their name in the table
 */
record ColumnIdentities(
    Map<Integer, String> renames,
    Map<String, String> targets,
    Map<Integer, Numbered> numbering,
    Map<String, Numbered> added) {

  /** An LSN older than any: resolves every difference to the change being late, never renaming. */
  static final long OLDEST = Long.MIN_VALUE;

  static final ColumnIdentities NONE = new ColumnIdentities(Map.of(), Map.of(), Map.of(), Map.of());

  /**
   * How {@code fields} (a change's row columns, numbered by {@code numbers}) map onto {@code
   * schema}; {@link #NONE} without numbers. {@code lsn} is the change's source position: unknown
   * (negative, but not {@link #OLDEST}) counts as newer than anything.
   */
  static ColumnIdentities resolve(
      Schema schema, ColumnNumbering known, List<Field> fields, int[] numbers, long lsn) {
    if (numbers == null || numbers.length != fields.size()) {
      return NONE;
    }
    long at = lsn == OLDEST ? OLDEST : lsn < 0 ? Long.MAX_VALUE : lsn;
    long stamp = Math.max(lsn, 0);
    Map<Integer, Numbered> after = new TreeMap<>(known.entries());
    Map<Integer, String> renames = new LinkedHashMap<>();
    Map<String, String> targets = new HashMap<>();
    Map<String, Numbered> added = new HashMap<>();
    for (int i = 0; i < numbers.length; i++) { // the columns the table numbers
      Integer id = numbers[i] > 0 ? known.fieldIdOf(numbers[i], schema) : null;
      String name = fields.get(i).name();
      String current = id == null ? null : schema.findColumnName(id);
      if (current == null || current.equals(name)) {
        continue;
      }
      if (at > after.get(id).sinceLsn()) {
        renames.put(id, name);
        after.put(id, new Numbered(numbers[i], stamp));
      } else {
        targets.put(name, current); // a change from before the rename
      }
    }
    for (int i = 0; i < numbers.length; i++) { // the columns it does not number yet
      if (numbers[i] <= 0 || known.fieldIdOf(numbers[i], schema) != null) {
        continue;
      }
      String name = fields.get(i).name();
      NestedField byName = schema.asStruct().field(name);
      Numbered numbered = new Numbered(numbers[i], stamp);
      Numbered holder = byName == null ? null : after.get(byName.fieldId());
      if (byName == null || renames.containsKey(byName.fieldId())) {
        added.put(name, numbered); // a new column, or one whose name another column gave up
      } else if (holder == null) {
        after.put(byName.fieldId(), numbered); // the column of that name, numbered from now on
      } else if (at > holder.sinceLsn()) {
        // the name now belongs to another Postgres column: the old one was dropped
        renames.put(byName.fieldId(), aside(name, holder.attnum(), schema, renames));
        after.put(byName.fieldId(), new Numbered(holder.attnum(), stamp));
        added.put(name, numbered);
      } else {
        // from before that column took the name: its own column, aside until it shows its name
        String aside = aside(name, numbers[i], schema, renames);
        targets.put(name, aside);
        added.put(aside, numbered);
      }
    }
    moveAsideHolders(schema, after, renames, stamp);
    if (renames.isEmpty() && added.isEmpty() && after.equals(known.entries())) {
      return targets.isEmpty() ? NONE : new ColumnIdentities(Map.of(), targets, after, Map.of());
    }
    return new ColumnIdentities(renames, targets, after, added);
  }

  /** True when the table's schema or numbering has to change. */
  boolean changesTable(ColumnNumbering known) {
    return this != NONE
        && (!renames.isEmpty() || !added.isEmpty() || !numbering.equals(known.entries()));
  }

  /**
   * The numbering once the columns are added to the table, which is now {@code evolved}, of {@code
   * source}'s table {@code relation}.
   */
  ColumnNumbering after(Schema evolved, String source, ColumnNumbering.Relation relation) {
    Map<Integer, Numbered> all = new TreeMap<>(numbering);
    added.forEach(
        (name, numbered) -> {
          NestedField field = evolved.asStruct().field(name);
          if (field != null) {
            all.put(field.fieldId(), numbered);
          }
        });
    return new ColumnNumbering(all, source, relation);
  }

  /**
   * A column whose name a rename takes, and that no rename of this change moves, was dropped in
   * Postgres (or is a column never numbered): it moves aside, keeping its values.
   */
  private static void moveAsideHolders(
      Schema schema, Map<Integer, Numbered> after, Map<Integer, String> renames, long stamp) {
    for (Map.Entry<Integer, String> rename : List.copyOf(renames.entrySet())) {
      NestedField holder = schema.asStruct().field(rename.getValue());
      if (holder != null
          && holder.fieldId() != rename.getKey()
          && !renames.containsKey(holder.fieldId())) {
        Numbered numbered = after.get(holder.fieldId());
        int attnum = numbered == null ? 0 : numbered.attnum();
        renames.put(holder.fieldId(), aside(holder.name(), attnum, schema, renames));
        if (numbered != null) { // named aside as of this change: older ones do not rename it back
          after.put(holder.fieldId(), new Numbered(attnum, stamp));
        }
      }
    }
  }

  /** {@code name__dropped_<attnum>}, or with a suffix when that is taken too. */
  private static String aside(
      String name, int attnum, Schema schema, Map<Integer, String> renames) {
    String base = name + "__dropped" + (attnum > 0 ? "_" + attnum : "");
    Set<String> taken = new HashSet<>(renames.values());
    String candidate = base;
    for (int n = 2; schema.asStruct().field(candidate) != null || taken.contains(candidate); n++) {
      candidate = base + "_" + n;
    }
    return candidate;
  }
}
