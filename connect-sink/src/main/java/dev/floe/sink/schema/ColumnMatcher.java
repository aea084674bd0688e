package dev.floe.sink.schema;

import dev.floe.sink.event.ChangeEvent;
import dev.floe.sink.schema.ColumnNumbering.Relation;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;

/**
 * Decides when a change's Postgres column numbers ({@link ColumnIdentities}) apply to a table: with
 * schema evolution on, for changes that carry them, from the one Postgres table the table's numbers
 * belong to. A second source writing the same table (a route merging shards) marks it as matched by
 * names from then on: two tables number their columns each their own way. A table dropped and
 * created again under its name (another {@code pg_class.oid}, at a later LSN) numbers its columns
 * afresh: the numbers start over, its columns matched to the table's by name first; a late change
 * of the dropped one is matched by name.
 */
final class ColumnMatcher {
  private final boolean enabled;

  ColumnMatcher(boolean enabled) {
    this.enabled = enabled;
  }

  /** How {@code row}'s columns map onto {@code schema}; {@link ColumnIdentities#NONE} by name. */
  ColumnIdentities identities(Schema schema, ColumnNumbering known, RowColumns row) {
    NumbersHeader header = headerOf(known, row);
    if (header == null || !row.source().equals(known.sourceAfter(row.source()))) {
      return ColumnIdentities.NONE;
    }
    Relation relation = relationAfter(known, header, row);
    if (known.relation() != null && !relation.equals(known.relation())) {
      known = ColumnNumbering.none(); // created again since: its numbers start over
    } else if (known.relation() != null && header.relation() != relation.oid()) {
      return ColumnIdentities.NONE; // a late change of a table dropped since
    }
    return ColumnIdentities.resolve(
        schema, known, row.schema().fields(), header.numbers(), row.lsn());
  }

  /** Which Postgres table {@code row} comes from, against the one the numbers are of. */
  TableIncarnation incarnation(ColumnNumbering known, RowColumns row) {
    NumbersHeader header = headerOf(known, row);
    if (header == null
        || known.relation() == null
        || header.relation() == known.relation().oid()
        || !row.source().equals(known.source())) {
      return TableIncarnation.SAME;
    }
    return relationAfter(known, header, row).equals(known.relation())
        ? TableIncarnation.DROPPED_SINCE
        : TableIncarnation.CREATED_AGAIN;
  }

  /** Whether writing {@code row} changes whose numbers the table keeps, besides the columns'. */
  boolean changesSource(ColumnNumbering known, RowColumns row) {
    NumbersHeader header = headerOf(known, row);
    return header != null
        && (!Objects.equals(known.sourceAfter(row.source()), known.source())
            || !relationAfter(known, header, row).equals(known.relation()));
  }

  /**
   * The table's numbering once {@code row} is written and the table's schema is {@code evolved}.
   */
  ColumnNumbering after(
      ColumnIdentities ids, ColumnNumbering known, RowColumns row, Schema evolved) {
    NumbersHeader header = headerOf(known, row);
    if (header == null) {
      return known;
    }
    String source = known.sourceAfter(row.source());
    Relation relation = relationAfter(known, header, row);
    if (ids == ColumnIdentities.NONE) {
      return new ColumnNumbering(known.entries(), source, relation);
    }
    return ids.after(evolved, source, relation);
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

  /** The header of a change whose numbers apply, else null. */
  private NumbersHeader headerOf(ColumnNumbering known, RowColumns row) {
    return enabled && row.numbers() != null && !known.mixed()
        ? NumbersHeader.parse(row.numbers())
        : null;
  }

  /**
   * The table the numbers are of once {@code row}, a change of {@code header}'s table, is written:
   * the first one seen, or one created since under the same name. A change of another table is of
   * one dropped since only when it is older by both its LSN and its commit time: a database
   * restored elsewhere (new oids, LSNs that may start lower) is newer by the clock, and its tables
   * replace the old ones' rows rather than being skipped.
   */
  private static Relation relationAfter(
      ColumnNumbering known, NumbersHeader header, RowColumns row) {
    Relation current = known.relation();
    long lsn = row.lsn();
    long ms = row.event() == null ? -1 : row.event().position().commitTimeMs();
    if (current == null) {
      return new Relation(header.relation(), Math.max(lsn, 0), ms);
    }
    if (header.relation() == current.oid() || lsn == ColumnIdentities.OLDEST) {
      return current;
    }
    boolean newer =
        lsn < 0
            || lsn > current.sinceLsn()
            || ms >= 0 && current.sinceMs() >= 0 && ms > current.sinceMs();
    return newer ? new Relation(header.relation(), Math.max(lsn, 0), ms) : current;
  }
}
