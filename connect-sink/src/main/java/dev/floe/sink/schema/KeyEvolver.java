package dev.floe.sink.schema;

import dev.floe.sink.event.ChangeEvent;
import java.util.List;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.Transaction;
import org.apache.iceberg.UpdateSchema;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types.NestedField;
import org.apache.kafka.connect.errors.DataException;

/**
 * Follows a Postgres primary key change: the first change keyed by the new columns makes them the
 * table's key. They also become the Iceberg identifier fields when Iceberg allows it without
 * rewriting history: each column is a primitive, not floating point, and no row of the table holds
 * a null in it (a column that was optional is then made required). Otherwise the identifier fields
 * are cleared, so no engine relies on a key that no longer identifies a row, and the key is kept in
 * the table property {@value TableKey#COLUMNS}.
 */
public final class KeyEvolver {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(KeyEvolver.class);

  /** Makes the columns of {@code event}'s key the key of {@code table}; retried on races. */
  public void evolve(Table table, ChangeEvent event) {
    List<String> columns = TableKey.columnsOf(event.key());
    for (int attempt = 0; attempt < 10; attempt++) {
      table.refresh();
      TableKey current = TableKey.of(table);
      if (!current.isReplacedBy(event)) {
        return; // another task changed it first, or the event is older than the key
      }
      for (String column : columns) {
        if (table.schema().findField(column) == null) {
          throw new DataException(
              "The key of "
                  + table.name()
                  + " changed to "
                  + columns
                  + " but column '"
                  + column
                  + "' is not in the table yet.");
        }
      }
      boolean identifiers = canIdentify(table, columns);
      Transaction tx = table.newTransaction();
      UpdateSchema schema = tx.updateSchema().allowIncompatibleChanges();
      if (identifiers) {
        columns.stream()
            .filter(c -> table.schema().findField(c).isOptional())
            .forEach(schema::requireColumn);
      }
      schema.setIdentifierFields(identifiers ? columns : List.of()).commit();
      tx.updateProperties()
          .set(TableKey.COLUMNS, String.join(",", columns))
          .set(TableKey.SINCE_MS, Long.toString(Math.max(0, event.position().commitTimeMs())))
          .commit();
      try {
        tx.commitTransaction();
        LOG.info(
            "The key of {} changed from {} to {}; {}",
            table.name(),
            current.columns(),
            columns,
            identifiers
                ? "they are its identifier fields"
                : "Iceberg cannot take them as identifier fields (a column may be null in"
                    + " earlier rows, or is not a primitive), so the table has none now");
        return;
      } catch (CommitFailedException raced) {
        // another writer changed the table meanwhile: look again
      }
    }
    throw new CommitFailedException(
        "Could not change the key of %s: the table kept changing", table.name());
  }

  /**
   * Whether Iceberg can take {@code columns} as identifier fields: required-able primitives other
   * than float and double, with no null in any row (a scan that skips files whose column metrics
   * rule nulls out).
   */
  private static boolean canIdentify(Table table, List<String> columns) {
    Schema schema = table.schema();
    Expression anyNull = Expressions.alwaysFalse();
    for (String column : columns) {
      NestedField field = schema.findField(column);
      if (!field.type().isPrimitiveType()
          || field.type().typeId() == org.apache.iceberg.types.Type.TypeID.FLOAT
          || field.type().typeId() == org.apache.iceberg.types.Type.TypeID.DOUBLE
          || schema.asStruct().field(field.fieldId()) == null) {
        return false; // floating point, nested, or inside a struct
      }
      anyNull = Expressions.or(anyNull, Expressions.isNull(column));
    }
    if (table.currentSnapshot() == null) {
      return true;
    }
    try (CloseableIterable<Record> rows =
        IcebergGenerics.read(table).where(anyNull).select(columns).build()) {
      for (Record row : rows) {
        for (String column : columns) {
          if (row.getField(column) == null) {
            return false;
          }
        }
      }
      return true;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
