package dev.floe.sink.write;

import dev.floe.sink.event.ChangeEvent;
import dev.floe.sink.schema.ChangeMetadata;
import dev.floe.sink.schema.RowConverter;
import dev.floe.sink.schema.TableKey;
import java.util.Map;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types.NestedField;
import org.apache.iceberg.util.StructLikeMap;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;

/**
 * A table's buffer that folds changes by key: within one flush each key is written at most once,
 * with the state of its last change (an upsert's row, nothing after a delete, or in soft-delete
 * mode the deleted row with its marker). Each key written is first deleted by equality, so a row
 * from an earlier snapshot is replaced and replays change nothing.
 */
public final class FoldingTableWriter extends BufferedTableWriter {
  private final TableKey key;
  private final Schema keySchema;
  private final boolean softDelete;
  private StructLikeMap<Record> latestByKey; // a null value: the key's last change was a delete

  public FoldingTableWriter(Table table, int partitionId, long taskId) {
    this(table, false, Map.of(), partitionId, taskId);
  }

  /**
   * @param aliases old column names to write under their new ones (renames followed in Iceberg)
   */
  public FoldingTableWriter(
      Table table, boolean softDelete, Map<String, String> aliases, int partitionId, long taskId) {
    super(table, aliases, partitionId, taskId);
    FlushFileWriter.globalSpec(table); // fail now, not at the first flush
    this.key = TableKey.of(table);
    if (key.columns().isEmpty()) {
      throw new ConnectException(
          "Iceberg table "
              + table.name()
              + " has no identifier fields: set them to the Postgres primary key columns so updates"
              + " and deletes can find their rows (or write it with iceberg.tables.write-mode="
              + "changelog).");
    }
    this.keySchema = key.select(schema());
    this.softDelete = softDelete;
    this.latestByKey = StructLikeMap.create(keySchema.asStruct());
  }

  @Override
  public TableKey key() {
    return key;
  }

  @Override
  public void write(ChangeEvent event) {
    Record state;
    if (!event.isDelete()) {
      state = rows.toRecord(event.row());
    } else if (softDelete) {
      state = event.row() == null ? rows.toRecord(event.key()) : rows.toRecord(event.row());
    } else {
      state = null;
    }
    Record rowKey = keyOf(event, state);
    latestByKey.put(rowKey, state == null ? null : ChangeMetadata.fill(state, event));
    coverage.add(event, state == null ? rowKey : state);
  }

  /**
   * The change's key in the table's key columns: its Kafka key, or for a change made before the
   * primary key changed (keyed the old way), the key columns of its row.
   */
  private Record keyOf(ChangeEvent event, Record state) {
    if (key.matches(event.key())) {
      return RowConverter.toKeyRecord(event.key(), keySchema);
    }
    Record row = state != null ? state : event.row() == null ? null : rows.toRecord(event.row());
    GenericRecord rowKey = GenericRecord.create(keySchema);
    for (NestedField column : keySchema.columns()) {
      Object value = row == null ? null : row.getField(column.name());
      if (value == null) {
        throw new DataException(
            "A change to "
                + table.name()
                + " keyed by "
                + TableKey.columnsOf(event.key())
                + " was made before the key became "
                + key.columns()
                + " and does not carry '"
                + column.name()
                + "', so it cannot be matched to one row (set REPLICA IDENTITY FULL before"
                + " changing a primary key, so deletes carry every column).");
      }
      rowKey.setField(column.name(), value);
    }
    return rowKey;
  }

  @Override
  protected Schema deleteKey() {
    return keySchema;
  }

  @Override
  protected void writeBuffer(FlushFileWriter files) {
    for (Map.Entry<StructLike, Record> change : latestByKey.entrySet()) {
      files.deleteKey((Record) change.getKey());
      if (change.getValue() != null) {
        files.write(change.getValue());
      }
    }
  }

  @Override
  protected void clearBuffer() {
    latestByKey = StructLikeMap.create(keySchema.asStruct());
  }
}
