package dev.floe.sink.write;

import dev.floe.sink.event.ChangeEvent;
import dev.floe.sink.schema.ChangeMetadata;
import dev.floe.sink.schema.RowConverter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.WriteResult;
import org.apache.iceberg.util.StructLikeMap;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * A table's buffer that folds changes by key: within one flush each key is written at most once,
 * with the state of its last change (an upsert's row, nothing after a delete, or in soft-delete
 * mode the deleted row with its marker). Each key written is first deleted by equality, so a row
 * from an earlier snapshot is replaced and replays change nothing.
 */
public final class FoldingTableWriter implements TableWriter {
  private final Table table;
  private final Schema keySchema;
  private final RowConverter rows;
  private final boolean softDelete;
  private final int partitionId;
  private final long taskId;
  private final FlushCoverage coverage = new FlushCoverage();
  private StructLikeMap<Record> latestByKey; // a null value: the key's last change was a delete

  public FoldingTableWriter(Table table, int partitionId, long taskId) {
    this(table, false, partitionId, taskId);
  }

  public FoldingTableWriter(Table table, boolean softDelete, int partitionId, long taskId) {
    FlushFileWriter.globalSpec(table); // fail now, not at the first flush
    if (table.schema().identifierFieldIds().isEmpty()) {
      throw new ConnectException(
          "Iceberg table "
              + table.name()
              + " has no identifier fields: set them to the Postgres primary key columns so updates"
              + " and deletes can find their rows (or write it with iceberg.tables.write-mode="
              + "changelog).");
    }
    this.table = table;
    this.keySchema = FlushFileWriter.keySchema(table);
    this.rows = new RowConverter(table.schema());
    this.softDelete = softDelete;
    this.partitionId = partitionId;
    this.taskId = taskId;
    this.latestByKey = StructLikeMap.create(keySchema.asStruct());
  }

  @Override
  public void write(ChangeEvent event) {
    Record key = RowConverter.toKeyRecord(event.key(), keySchema);
    Record state;
    if (!event.isDelete()) {
      state = rows.toRecord(event.row());
    } else if (softDelete) {
      state = event.row() == null ? rows.toRecord(event.key()) : rows.toRecord(event.row());
    } else {
      state = null;
    }
    latestByKey.put(key, state == null ? null : ChangeMetadata.fill(state, event));
    coverage.add(event, state == null ? key : state);
  }

  @Override
  public Table table() {
    return table;
  }

  @Override
  public int pendingEvents() {
    return coverage.events();
  }

  @Override
  public long pendingBytes() {
    return coverage.bytes();
  }

  @Override
  public TableFlush flush() {
    if (coverage.events() == 0) {
      return null;
    }
    table.refresh();
    FlushFileWriter files = new FlushFileWriter(table, partitionId, taskId);
    try {
      for (Map.Entry<StructLike, Record> change : latestByKey.entrySet()) {
        files.deleteKey((Record) change.getKey());
        if (change.getValue() != null) {
          files.write(change.getValue());
        }
      }
      WriteResult written = files.complete();
      return coverage.flushOf(table, written);
    } catch (IOException | RuntimeException e) {
      files.abort();
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
  }

  @Override
  public void committed() {
    discard();
  }

  @Override
  public void discard() {
    latestByKey = StructLikeMap.create(keySchema.asStruct());
    coverage.clear();
  }
}
