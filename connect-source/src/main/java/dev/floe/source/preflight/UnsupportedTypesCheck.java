package dev.floe.source.preflight;

import java.util.ArrayList;
import java.util.List;

/**
 * Columns whose values Debezium cannot carry, found in the catalog before they are silently lost,
 * when Floe's converter (which carries them as text) is not used: a column declared with more than
 * one dimension ({@code int[][]}) arrives as a list of nulls, a {@code name} column as null from
 * the WAL, {@code money[]} and {@code interval[]} columns are left out of every event. Each table's
 * columns are named with the fix: another type, Floe's converter, or {@code column.exclude.list}.
 */
final class UnsupportedTypesCheck implements PreflightCheck {
  /** pg_type names whose values do not arrive, as SQL's list. */
  static final String TYPES = "('name', '_money', '_interval')";

  @Override
  public List<Finding> check(PreflightContext context) {
    // Floe's converter carries name, money[], interval[] and arrays declared with several
    // dimensions as text
    if (dev.floe.source.config.SourceDefaults.usesFloeConverter(
        context.config().getString("converters"))) {
      return List.of();
    }
    List<Finding> findings = new ArrayList<>();
    for (CapturedTable table : context.captured()) {
      String columns = table.unsupportedColumns();
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
                  + " of the events, an array of more than one dimension arrives as nulls). Set"
                  + " converters=floe (Floe's converter carries them as text), change"
                  + " their type (ALTER TABLE "
                  + table.sqlName()
                  + " ALTER COLUMN ... TYPE text, or numeric[] for money[]), or leave them out"
                  + " with column.exclude.list."));
    }
    return findings;
  }
}
