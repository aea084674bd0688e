package dev.floe.sink.write;

import java.io.IOException;
import java.util.UUID;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.BaseTaskWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.types.TypeUtil;
import org.apache.iceberg.util.PropertyUtil;

/**
 * Writes one flush of an unpartitioned table: Parquet data files for new row states, equality
 * deletes on the identifier fields for keys that may exist in earlier snapshots, and position
 * deletes for a key written twice in this flush (Iceberg's {@code BaseEqualityDeltaWriter} decides
 * between the two).
 */
final class DeltaFileWriter extends BaseTaskWriter<Record> {
  private final KeyedDelta delta;

  DeltaFileWriter(Table table, int partitionId, long taskId) {
    super(
        table.spec(),
        FileFormat.PARQUET,
        fileFactory(table),
        outputFiles(table, partitionId, taskId),
        table.io(),
        PropertyUtil.propertyAsLong(
            table.properties(),
            TableProperties.WRITE_TARGET_FILE_SIZE_BYTES,
            TableProperties.WRITE_TARGET_FILE_SIZE_BYTES_DEFAULT));
    this.delta = new KeyedDelta(table.schema(), keySchema(table));
  }

  static Schema keySchema(Table table) {
    return TypeUtil.select(table.schema(), table.schema().identifierFieldIds());
  }

  private static GenericFileWriterFactory fileFactory(Table table) {
    Schema keySchema = keySchema(table);
    return new GenericFileWriterFactory.Builder(table)
        .dataSchema(table.schema())
        .dataFileFormat(FileFormat.PARQUET)
        .deleteFileFormat(FileFormat.PARQUET)
        .equalityFieldIds(keySchema.columns().stream().mapToInt(f -> f.fieldId()).toArray())
        .equalityDeleteRowSchema(keySchema)
        .build();
  }

  private static OutputFileFactory outputFiles(Table table, int partitionId, long taskId) {
    // a fresh operation id per flush keeps file names unique across tasks, restarts and retries
    return OutputFileFactory.builderFor(table, partitionId, taskId)
        .format(FileFormat.PARQUET)
        .operationId(UUID.randomUUID().toString())
        .build();
  }

  /** Removes any earlier row of {@code key}, from this flush or from earlier snapshots. */
  void deleteKey(Record key) throws IOException {
    delta.deleteKey(key);
  }

  @Override
  public void write(Record row) throws IOException {
    delta.write(row);
  }

  @Override
  public void close() throws IOException {
    delta.close();
  }

  private final class KeyedDelta extends BaseEqualityDeltaWriter {
    KeyedDelta(Schema schema, Schema keySchema) {
      super(null, schema, keySchema);
    }

    @Override
    protected StructLike asStructLike(Record row) {
      return row;
    }

    @Override
    protected StructLike asStructLikeKey(Record key) {
      return key;
    }
  }
}
