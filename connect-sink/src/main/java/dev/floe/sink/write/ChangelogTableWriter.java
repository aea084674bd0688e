package dev.floe.sink.write;

import dev.floe.sink.event.ChangeEvent;
import dev.floe.sink.fill.FillSettings;
import dev.floe.sink.fill.FillSource;
import dev.floe.sink.fill.PendingFill;
import dev.floe.sink.index.KeyMap;
import dev.floe.sink.schema.ChangeMetadata;
import dev.floe.sink.schema.RowConverter;
import dev.floe.sink.schema.TableKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types.NestedField;
import org.apache.kafka.connect.data.Struct;

/**
 * Changelog mode: every change becomes a row of its own, in Kafka order, with its operation and
 * position ({@link ChangeMetadata}); nothing is folded and nothing deleted. Exactly-once still
 * holds: a replayed change is skipped by its offset, so the history never holds a change twice.
 *
 * <p>Each row is complete: values Postgres did not send (unchanged TOASTed columns, and every
 * column but the key in a delete without REPLICA IDENTITY FULL) come from the key's previous
 * change, in this buffer or, newest first, in the table.
 */
public final class ChangelogTableWriter extends BufferedTableWriter {
  private List<Record> changes = new ArrayList<>();
  private KeyMap<Record> lastByKey;
  private java.util.Map<Long, Record> keyChangeRows = new java.util.HashMap<>();
  private org.apache.kafka.connect.data.Schema keyOf;
  private Schema keySchema = new Schema();
  private RowConverter keyRecords = RowConverter.forKeys(keySchema);
  private final ChangeMetadata.Columns metadata = new ChangeMetadata.Columns();
  private final Set<String> valueColumns = new HashSet<>();

  public ChangelogTableWriter(Table table, int partitionId, long taskId) {
    this(table, Map.of(), FillSettings.DEFAULT, partitionId, taskId);
  }

  public ChangelogTableWriter(
      Table table, Map<String, String> aliases, FillSettings fill, int partitionId, long taskId) {
    super(table, aliases, fill, true, partitionId, taskId);
    lastByKey = KeyMap.create(keySchema.asStruct());
  }

  @Override
  public void write(ChangeEvent event) {
    Set<String> missing = new HashSet<>(0);
    Record row =
        event.row() == null
            ? rows.toRecord(event.key(), missing)
            : rows.toRecord(event.row(), missing, event.columnNumbers());
    if (event.key() != null) {
      keyedBy(event.key());
      Record rowKey = keyRecords.toKey(event.key());
      if (event.isDelete()) {
        missing.addAll(valueColumns); // a before-image may hold only the key
      }
      if (!missing.isEmpty()) {
        fillFromPreviousChange(event, row, rowKey, missing);
      }
      lastByKey.put(rowKey, row);
      if (event.keyMoved() && event.position().lsn() >= 0) {
        keyChangeRows.put(event.position().lsn(), row);
      }
    }
    changes.add(metadata.fill(row, event));
    coverage.add(event, row);
  }

  private void fillFromPreviousChange(
      ChangeEvent event, Record row, Record rowKey, Set<String> missing) {
    Record fromKey = event.oldKey() == null ? rowKey : keyRecords.toKey(event.oldKey());
    // a key change's new row takes from the old key's delete row of the same change (the key may
    // have changed, come back and changed again in this buffer)
    Record previous =
        event.oldKey() == null ? lastByKey.get(fromKey) : keyChangeRows.get(event.position().lsn());
    if (previous != null) {
      fills.fromEarlier(row, missing, previous, event.record());
    } else if (event.oldKey() != null) {
      fills.fromTable(
          row,
          missing,
          FillSource.beforeKeyChange(fromKey, event.position().lsn()),
          true,
          event.record());
    } else {
      fills.fromTable(
          row, missing, FillSource.committedRow(rowKey), !event.isDelete(), event.record());
    }
  }

  /** The key columns rows are looked up by: the Kafka key's, as columns of this table. */
  private void keyedBy(Struct key) {
    if (key.schema().equals(keyOf)) {
      return;
    }
    keyOf = key.schema();
    List<NestedField> columns = new ArrayList<>();
    for (String column : TableKey.columnsOf(key)) {
      NestedField field = schema().findField(column);
      if (field == null) {
        throw new org.apache.kafka.connect.errors.DataException(
            "A change to "
                + table.name()
                + " is keyed by "
                + column
                + ", which the table no longer has (a change from before a key column was"
                + " renamed, late from another partition): a changelog cannot place it.");
      }
      columns.add(field);
    }
    keySchema = new Schema(columns);
    keyRecords = RowConverter.forKeys(keySchema);
    KeyMap<Record> rekeyed = KeyMap.create(keySchema.asStruct());
    lastByKey = rekeyed; // a new key shape: earlier rows are not matched across it
    valueColumns.clear();
    for (NestedField column : schema().columns()) {
      if (keySchema.findField(column.name()) == null && !ChangeMetadata.isMetadata(column.name())) {
        valueColumns.add(column.name());
      }
    }
  }

  @Override
  public boolean holdsRowOf(ChangeEvent event) {
    return event.key() != null
        && keyOf != null
        && event.key().schema().equals(keyOf)
        && lastByKey.get(keyRecords.toKey(event.key())) != null;
  }

  @Override
  protected Schema keySchema() {
    return keySchema;
  }

  @Override
  protected boolean superseded(PendingFill gap) {
    return changes.removeIf(row -> row == gap.row()); // a replayed change: the history has it
  }

  @Override
  protected boolean unfillable(PendingFill gap) {
    return changes.removeIf(row -> row == gap.row());
  }

  @Override
  protected void writeBuffer(FlushFileWriter files) {
    changes.forEach(files::write);
  }

  @Override
  protected void clearBuffer() {
    changes = new ArrayList<>();
    lastByKey = KeyMap.create(keySchema.asStruct());
    keyChangeRows = new java.util.HashMap<>();
  }
}
