package dev.floe.sink.schema;

import dev.floe.sink.event.ChangeEvent;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;

/**
 * Decides when a change's Postgres column numbers ({@link ColumnIdentities}) apply to a table: with
 * schema evolution on, for changes that carry them, from the one Postgres table the table's numbers
 * belong to. A second source writing the same table (a route merging shards) marks it as matched by
 * names from then on: two tables number their columns each their own way.
 */
final class ColumnMatcher {
  private final boolean enabled;

  ColumnMatcher(boolean enabled) {
    this.enabled = enabled;
  }

  /** How {@code row}'s columns map onto {@code schema}; {@link ColumnIdentities#NONE} by name. */
  ColumnIdentities identities(Schema schema, ColumnNumbering known, RowColumns row) {
    if (!applies(known, row) || !row.source().equals(known.sourceAfter(row.source()))) {
      return ColumnIdentities.NONE;
    }
    return ColumnIdentities.resolve(
        schema,
        known,
        row.schema().fields(),
        ColumnNumbering.parseHeader(row.numbers()),
        row.lsn());
  }

  /** Whether writing {@code row} changes whose numbers the table keeps (first, or a second). */
  boolean changesSource(ColumnNumbering known, RowColumns row) {
    return applies(known, row) && !Objects.equals(known.sourceAfter(row.source()), known.source());
  }

  /**
   * The table's numbering once {@code row} is written and the table's schema is {@code evolved}.
   */
  ColumnNumbering after(
      ColumnIdentities ids, ColumnNumbering known, RowColumns row, Schema evolved) {
    String source = applies(known, row) ? known.sourceAfter(row.source()) : known.source();
    return ids == ColumnIdentities.NONE
        ? new ColumnNumbering(known.entries(), source)
        : ids.after(evolved, source);
  }

  /**
   * Whether {@code event}, keyed otherwise than {@code key}, names the key's own columns by names
   * the table renamed them from since (a change from before a key column's rename, late from
   * another partition): then its key is not a new one.
   */
  boolean namesKeyBeforeRename(Table table, TableKey key, ChangeEvent event) {
    RowColumns row = RowColumns.of(event);
    if (event.key() == null || row.schema() == null || row.numbers() == null) {
      return false;
    }
    Map<String, String> targets =
        identities(table.schema(), ColumnNumbering.of(table), row.asOldest()).targets();
    List<String> named =
        TableKey.columnsOf(event.key()).stream().map(c -> targets.getOrDefault(c, c)).toList();
    return named.equals(key.columns());
  }

  private boolean applies(ColumnNumbering known, RowColumns row) {
    return enabled && row.numbers() != null && !known.mixed();
  }
}
