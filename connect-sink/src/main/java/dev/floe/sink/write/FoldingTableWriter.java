package dev.floe.sink.write;

import dev.floe.sink.event.ChangeEvent;
import dev.floe.sink.event.SourcePosition;
import dev.floe.sink.schema.RowConverter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.WriteResult;
import org.apache.iceberg.util.StructLikeMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * A table's buffer that folds changes by key: within one flush each key is written at most once,
 * with the state of its last change (an upsert's row, or nothing after a delete). Each key written
 * is first deleted by equality, so a row from an earlier snapshot is replaced and replays change
 * nothing.
 */
public final class FoldingTableWriter implements TableWriter {
  private final Table table;
  private final Schema keySchema;
  private final RowConverter rows;
  private final int partitionId;
  private final long taskId;

  private StructLikeMap<Record>
      latestByKey; // a null value means the key's last change was a delete
  private Map<TopicPartition, Long> firstOffsets = new HashMap<>();
  private Map<TopicPartition, Long> nextOffsets = new HashMap<>();
  private SourcePosition watermark = SourcePosition.UNKNOWN;
  private int events;

  public FoldingTableWriter(Table table, int partitionId, long taskId) {
    FlushFileWriter.globalSpec(table); // fail now, not at the first flush
    if (table.schema().identifierFieldIds().isEmpty()) {
      throw new ConnectException(
          "Iceberg table "
              + table.name()
              + " has no identifier fields: set them "
              + "to the Postgres primary key columns so updates and deletes can find their rows.");
    }
    this.table = table;
    this.keySchema = FlushFileWriter.keySchema(table);
    this.rows = new RowConverter(table.schema());
    this.partitionId = partitionId;
    this.taskId = taskId;
    this.latestByKey = StructLikeMap.create(keySchema.asStruct());
  }

  @Override
  public void write(ChangeEvent event) {
    Record key = RowConverter.toKeyRecord(event.key(), keySchema);
    latestByKey.put(key, event.isDelete() ? null : rows.toRecord(event.row()));
    firstOffsets.merge(
        event.coordinates().topicPartition(), event.coordinates().offset(), Math::min);
    nextOffsets.merge(
        event.coordinates().topicPartition(), event.coordinates().offset() + 1, Math::max);
    watermark = watermark.max(event.position());
    events++;
  }

  @Override
  public Table table() {
    return table;
  }

  @Override
  public int pendingEvents() {
    return events;
  }

  @Override
  public TableFlush flush() {
    if (events == 0) {
      return null;
    }
    table.refresh();
    FlushFileWriter files = new FlushFileWriter(table, partitionId, taskId);
    WriteResult written;
    try {
      for (Map.Entry<org.apache.iceberg.StructLike, Record> change : latestByKey.entrySet()) {
        files.deleteKey((Record) change.getKey());
        if (change.getValue() != null) {
          files.write(change.getValue());
        }
      }
      written = files.complete();
    } catch (IOException | RuntimeException e) {
      files.abort();
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
    return new TableFlush(
        table, written, Map.copyOf(firstOffsets), Map.copyOf(nextOffsets), watermark, events);
  }

  @Override
  public void committed() {
    discard();
  }

  @Override
  public void discard() {
    latestByKey = StructLikeMap.create(keySchema.asStruct());
    firstOffsets = new HashMap<>();
    nextOffsets = new HashMap<>();
    watermark = SourcePosition.UNKNOWN;
    events = 0;
  }
}
