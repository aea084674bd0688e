package dev.floe.sink.write;

import dev.floe.sink.index.KeyLocations;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiConsumer;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.FanoutDataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.io.RollingEqualityDeleteWriter;
import org.apache.iceberg.io.WriteResult;
import org.apache.iceberg.util.PropertyUtil;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * Writes the files of one flush of one table: Parquet data files for the rows' new states, each in
 * its partition, and equality deletes on the key for every key the flush touches. The deletes are
 * written with the table's unpartitioned spec, which makes them global: they remove the key's
 * earlier row whichever partition it is in, so an update that moves a row to another partition
 * leaves no copy behind, even when the delete's before-image holds only the key (REPLICA IDENTITY
 * DEFAULT).
 *
 * <p>The fold by key means no key is written twice in a flush, so no position delete is ever
 * needed.
 */
final class FlushFileWriter {
  private final Table table;
  private final FanoutDataWriter<Record> data;
  private final RollingEqualityDeleteWriter<Record> keyDeletes;
  private final PartitionKey partitionKey;
  private final InternalRecordWrapper internal;
  private final Schema keySchema;
  private final Map<String, List<Object>> tagsByPartition = new HashMap<>();
  private final List<Record> deletedKeys = new ArrayList<>();

  /**
   * @param rowSchema the schema the rows were built for; data files written with an older schema
   *     than the table's are valid (readers match columns by id)
   * @param keySchema the columns rows are deleted by (the table's key), none in changelog mode
   */
  FlushFileWriter(Table table, Schema rowSchema, Schema keySchema, int partitionId, long taskId) {
    this.table = table;
    GenericFileWriterFactory.Builder factoryBuilder =
        new GenericFileWriterFactory.Builder(table)
            .dataSchema(rowSchema)
            .dataFileFormat(FileFormat.PARQUET)
            .deleteFileFormat(FileFormat.PARQUET);
    if (!keySchema.columns().isEmpty()) {
      factoryBuilder
          .equalityFieldIds(keySchema.columns().stream().mapToInt(f -> f.fieldId()).toArray())
          .equalityDeleteRowSchema(keySchema);
    }
    GenericFileWriterFactory factory = factoryBuilder.build();
    // a fresh operation id per flush keeps file names unique across tasks, restarts and retries
    OutputFileFactory files =
        OutputFileFactory.builderFor(table, partitionId, taskId)
            .format(FileFormat.PARQUET)
            .operationId(UUID.randomUUID().toString())
            .build();
    long targetSize =
        PropertyUtil.propertyAsLong(
            table.properties(),
            TableProperties.WRITE_TARGET_FILE_SIZE_BYTES,
            TableProperties.WRITE_TARGET_FILE_SIZE_BYTES_DEFAULT);
    this.data = new FanoutDataWriter<>(factory, files, table.io(), targetSize);
    // a changelog table has no key to delete by
    this.keyDeletes =
        keySchema.columns().isEmpty()
            ? null
            : new RollingEqualityDeleteWriter<>(
                factory, files, table.io(), targetSize, globalSpec(table), null);
    this.partitionKey = new PartitionKey(table.spec(), rowSchema);
    this.internal = new InternalRecordWrapper(rowSchema.asStruct());
    this.keySchema = keySchema;
  }

  /** The unpartitioned spec among the table's specs: deletes written with it apply everywhere. */
  static PartitionSpec globalSpec(Table table) {
    return table.specs().values().stream()
        .filter(PartitionSpec::isUnpartitioned)
        .findFirst()
        .orElseThrow(
            () ->
                new ConnectException(
                    "Iceberg table "
                        + table.name()
                        + " is partitioned and has no unpartitioned spec in its history, so a"
                        + " key's delete cannot reach every partition. Let Floe create the table"
                        + " (iceberg.table.<name>.partition-by), or create it unpartitioned and add"
                        + " the partition fields afterwards."));
  }

  /** Removes any earlier row of {@code key}, in whichever partition it is. */
  void deleteKey(Record key) {
    keyDeletes.write(key);
    deletedKeys.add(key);
  }

  void write(Record row) {
    partitionKey.partition(internal.wrap(row));
    data.write(row, table.spec(), partitionKey);
  }

  /** Writes {@code row}, remembered by {@code tag} ({@link #forEachRowAt}). */
  void write(Record row, Object tag) {
    write(row);
    // an unpartitioned table's path is "", built anew per row when asked
    String path = table.spec().isUnpartitioned() ? "" : table.spec().partitionToPath(partitionKey);
    tagsByPartition.computeIfAbsent(path, p -> new ArrayList<>()).add(tag);
  }

  /** The keys deleted by equality. */
  List<Record> deletedKeys() {
    return deletedKeys;
  }

  /**
   * Where each row written with a tag is, once complete, handed to {@code rowAt} with its tag: a
   * data file's rows are in the order they were written. Null for the rows of a partition that
   * filled more than one file (which rows went to which file is not told). By tag, not by key: the
   * caller hands in what it finds its rows by again without hashing a flush's 100,000 keys.
   */
  void forEachRowAt(WriteResult result, BiConsumer<Object, KeyLocations.RowAt> rowAt) {
    Map<String, List<DataFile>> filesByPartition = new HashMap<>();
    for (DataFile file : result.dataFiles()) {
      String path = table.specs().get(file.specId()).partitionToPath(file.partition());
      filesByPartition.computeIfAbsent(path, p -> new ArrayList<>()).add(file);
    }
    tagsByPartition.forEach(
        (path, tags) -> {
          List<DataFile> files = filesByPartition.get(path);
          DataFile file =
              files != null && files.size() == 1 && files.get(0).recordCount() == tags.size()
                  ? files.get(0).copyWithoutStats()
                  : null;
          for (int position = 0; position < tags.size(); position++) {
            rowAt.accept(
                tags.get(position), file == null ? null : new KeyLocations.RowAt(file, position));
          }
        });
  }

  WriteResult complete() throws IOException {
    data.close();
    WriteResult.Builder result = WriteResult.builder().addDataFiles(data.result().dataFiles());
    if (keyDeletes != null) {
      keyDeletes.close();
      result.addDeleteFiles(keyDeletes.result().deleteFiles());
    }
    return result.build();
  }

  /** Closes after a failure; the files written are never committed, so they are only garbage. */
  void abort() {
    try {
      data.close();
      if (keyDeletes != null) {
        keyDeletes.close();
      }
    } catch (IOException | RuntimeException ignored) {
      // the flush already failed
    }
  }
}
