package dev.floe.sink.schema;

import dev.floe.sink.event.ChangeEvent;
import dev.floe.sink.schema.SchemaChangePlan.Change;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableUtil;
import org.apache.iceberg.Transaction;
import org.apache.iceberg.UpdateSchema;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.DataException;

/**
 * Turns a new row shape into the Iceberg schema change it needs, before the row is written.
 * Postgres sends no DDL: a column added shows up as a new field, a dropped one as a missing field,
 * a type change as another type. What each shape needs is worked out by {@link SchemaChangePlan};
 * this class decides whether to apply it and commits it, retrying when another task changed the
 * table meanwhile.
 */
public final class SchemaEvolver {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(SchemaEvolver.class);
  private final boolean enabled;
  private final Function<String, Map<String, String>> renames;
  private final TypeChangePolicy policy;
  private final ColumnMatcher matcher;

  private final FittingShapes fitting = new FittingShapes();

  public SchemaEvolver(boolean enabled) {
    this(enabled, table -> Map.of(), TypeChangePolicy.DEAD_LETTER);
  }

  /**
   * @param renames per table ({@code namespace.name}), Postgres column renames to follow in
   *     Iceberg: new name to old name
   * @param policy what a type change Iceberg cannot represent does
   */
  public SchemaEvolver(
      boolean enabled, Function<String, Map<String, String>> renames, TypeChangePolicy policy) {
    this.enabled = enabled;
    this.renames = renames;
    this.policy = policy;
    this.matcher = new ColumnMatcher(enabled);
  }

  /**
   * True when a writer whose rows are built for {@code writerSchema} (a schema of {@code table})
   * cannot take rows of {@code rowSchema}.
   */
  public boolean needsEvolution(
      org.apache.iceberg.Schema writerSchema, Table table, Schema rowSchema) {
    return needsEvolution(writerSchema, table, RowColumns.named(rowSchema));
  }

  /** As above, for a change whose columns may carry their Postgres numbers. */
  public boolean needsEvolution(
      org.apache.iceberg.Schema writerSchema, Table table, ChangeEvent event) {
    return needsEvolution(writerSchema, table, RowColumns.of(event));
  }

  private boolean needsEvolution(
      org.apache.iceberg.Schema writerSchema, Table table, RowColumns row) {
    if (fitting.fit(row.schema(), row.numbers(), writerSchema.schemaId())) {
      return false;
    }
    ColumnNumbering known = ColumnNumbering.of(table);
    ColumnIdentities ids = matcher.identities(writerSchema, known, row);
    boolean needed =
        matcher.changesSource(known, row)
            || matcher.incarnation(known, row) != TableIncarnation.SAME
            || ids.changesTable(known)
            || !plan(writerSchema, table, row.schema(), ids).isEmpty();
    if (!needed && ids.targets().isEmpty()) { // a late change's fit depends on its LSN
      fitting.remember(row.schema(), row.numbers(), writerSchema.schemaId());
    }
    return needed;
  }

  /**
   * With evolution off, refuses rows of {@code rowSchema} unless the table, as it is now (changed
   * by someone else, say), takes them.
   */
  public void refuseIfNotAllowed(Table table, Schema rowSchema) {
    if (!enabled) {
      table.refresh();
      if (!plan(table.schema(), table, rowSchema, ColumnIdentities.NONE).isEmpty()) {
        evolve(table, rowSchema); // says why
      }
    }
  }

  /** Changes {@code table}'s schema so it takes rows of {@code rowSchema}; retried on races. */
  public void evolve(Table table, Schema rowSchema) {
    evolve(table, RowColumns.named(rowSchema));
  }

  /**
   * Changes {@code table}'s schema, and the numbers of its columns, so it takes {@code event}'s
   * row; retried on races.
   */
  public void evolve(Table table, ChangeEvent event) {
    evolve(table, RowColumns.of(event));
  }

  private void evolve(Table table, RowColumns row) {
    Schema rowSchema = row.schema();
    if (!enabled) {
      throw new DataException(
          "Rows of "
              + table.name()
              + " changed shape ("
              + SchemaChangePlan.describe(
                  plan(table.schema(), table, rowSchema, ColumnIdentities.NONE))
              + ") and schema evolution is off (iceberg.tables.evolve-schema=false).");
    }
    for (int attempt = 0; attempt < 10; attempt++) {
      table.refresh();
      ColumnNumbering known = ColumnNumbering.of(table);
      org.apache.iceberg.Schema before = table.schema();
      ColumnIdentities ids = matcher.identities(before, known, row);
      Transaction tx = table.newTransaction();
      List<Change> changes = List.of();
      try {
        ColumnRenames.apply(tx, before, ids.renames());
        changes = plan(tx.table().schema(), table, rowSchema, ids);
        if (changes.isEmpty() && !ids.changesTable(known) && !matcher.changesSource(known, row)) {
          return; // another task evolved it first
        }
        if (!changes.isEmpty()) {
          UpdateSchema update = tx.updateSchema();
          changes.forEach(change -> change.apply().accept(update));
          update.commit();
        }
        ColumnNumbering numbered = matcher.after(ids, known, row, tx.table().schema());
        if (!numbered.equals(known)) {
          tx.updateProperties()
              .set(ColumnNumbering.PROPERTY, numbered.toProperty())
              .set(ColumnNumbering.SOURCE_PROPERTY, numbered.source())
              .set(ColumnNumbering.RELATION_PROPERTY, String.valueOf(numbered.relation()))
              .commit();
        }
        tx.commitTransaction();
        String described =
            ColumnRenames.describe(before, ids.renames()) + SchemaChangePlan.describe(changes);
        if (described.isEmpty()) {
          LOG.info(
              "Recorded the Postgres column numbers of {}'s columns ({})",
              table.name(),
              ColumnNumbering.PROPERTY);
        } else {
          LOG.info("Changed the schema of {}: {}", table.name(), described);
        }
        return;
      } catch (CommitFailedException raced) {
        // another writer changed the table meanwhile: look again
      } catch (IllegalArgumentException | ValidationException refused) {
        // Iceberg checks each change as it is made and the result at commit (a column name with a
        // dot, an identifier field it cannot take): the row's shape is the problem, not the table
        throw new DataException(
            "Iceberg refused to change the schema of "
                + table.name()
                + " ("
                + SchemaChangePlan.describe(changes)
                + ") for rows of the new shape: "
                + refused.getMessage(),
            refused);
      }
    }
    throw new CommitFailedException(
        "Could not evolve the schema of %s: it kept changing", table.name());
  }

  /**
   * Whether taking {@code event}'s row changes the table's schema (a rename, a column added or
   * widened...), rather than only which Postgres column each column is.
   */
  public boolean changesSchema(
      org.apache.iceberg.Schema writerSchema, Table table, ChangeEvent event) {
    RowColumns row = RowColumns.of(event);
    ColumnIdentities ids = matcher.identities(writerSchema, ColumnNumbering.of(table), row);
    return !ids.renames().isEmpty()
        || !ids.added().isEmpty()
        || !plan(writerSchema, table, row.schema(), ids).isEmpty();
  }

  /**
   * Which Postgres table {@code event} comes from, against the one {@code table} (read again now)
   * holds the rows of: asked when {@link #needsEvolution} says a change needs the table changed.
   */
  public TableIncarnation incarnation(Table table, ChangeEvent event) {
    table.refresh();
    return matcher.incarnation(ColumnNumbering.of(table), RowColumns.of(event));
  }

  /**
   * Whether {@code event}, keyed otherwise than {@code key}, names the key's own columns by names
   * the table renamed them from since (a change from before a key column's rename): not a new key.
   */
  public boolean namesKeyBeforeRename(Table table, TableKey key, ChangeEvent event) {
    return matcher.namesKeyBeforeRename(table, key, event);
  }

  private List<Change> plan(
      org.apache.iceberg.Schema schema, Table table, Schema rowSchema, ColumnIdentities ids) {
    return SchemaChangePlan.of(
        table.name(),
        schema,
        renamesOf(table),
        ids.targets(),
        policy,
        holdsDefaults(table),
        NumericMapping.of(table),
        enabled,
        rowSchema);
  }

  /** Format v3 tables hold a column's initial default; earlier versions have no place for it. */
  private static boolean holdsDefaults(Table table) {
    return TableUtil.formatVersion(table) >= 3;
  }

  /** Old name to new name, for writing rows of the old shape into a renamed table. */
  public Map<String, String> aliasesFor(Table table) {
    Map<String, String> aliases = new HashMap<>();
    renamesOf(table).forEach((newName, oldName) -> aliases.put(oldName, newName));
    return aliases;
  }

  private Map<String, String> renamesOf(Table table) {
    String name = table.name();
    int dot = name.indexOf('.'); // catalog-qualified: catalog.namespace.table
    Map<String, String> renamed = renames.apply(dot < 0 ? name : name.substring(dot + 1));
    return renamed == null ? Map.of() : renamed;
  }
}
