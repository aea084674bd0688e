package dev.floe.source.preflight;

import java.util.ArrayList;
import java.util.List;

/**
 * Columns whose values Debezium cannot carry, found in the catalog before they are silently lost: a
 * column declared with more than one dimension ({@code int[][]}) arrives as a list of nulls; and
 * without Floe's converter (which carries them as text) a {@code name} column arrives as null from
 * the WAL, {@code money[]} and {@code interval[]} columns are left out of every event. Each table's
 * columns are named with the fix: another type, or {@code column.exclude.list}.
 */
final class UnsupportedTypesCheck implements PreflightCheck {
  /** pg_type names whose values do not arrive, as SQL's list. */
  static final String TYPES = "('name', '_money', '_interval')";

  @Override
  public List<Finding> check(PreflightContext context) {
    // Floe's converter carries name, money[] and interval[] as text: then only arrays declared
    // with several dimensions are left
    boolean floe =
        dev.floe.source.config.SourceDefaults.usesFloeConverter(
            context.config().getString("converters"));
    List<Finding> findings = new ArrayList<>();
    for (CapturedTable table : context.captured()) {
      String columns = table.unsupportedColumns();
      if (columns != null && floe) {
        columns =
            java.util.Arrays.stream(columns.split(",\\s*"))
                .filter(column -> column.endsWith("[][]"))
                .collect(java.util.stream.Collectors.joining(", "));
      }
      if (columns == null || columns.isEmpty()) {
        continue;
      }
      findings.add(
          Finding.warning(
              PreflightKeys.tableListKey(context.config()),
              "Table "
                  + table.sqlName()
                  + " has columns Debezium cannot carry: "
                  + columns
                  + " (a name arrives as null from the WAL, money[] and interval[] are left out"
                  + " of the events, an array of more than one dimension arrives as nulls). Change"
                  + " their type (ALTER TABLE "
                  + table.sqlName()
                  + " ALTER COLUMN ... TYPE text, or numeric[] for money[]), or leave them out"
                  + " with column.exclude.list."));
    }
    return findings;
  }
}
