package dev.floe.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.UUID;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.FanoutDataWriter;
import org.apache.iceberg.io.OutputFileFactory;

/**
 * The cost floor of a flush: rows already converted to Iceberg records, written with Iceberg's own
 * generic Parquet writer (the same file naming and rolling size as Floe's flush writer) and
 * appended in one {@link AppendFiles} commit. No parsing, no replay check, no fold by key, no
 * deletes. Shared by {@link RawParquetAppendBenchmark} and {@link InterleavedMixes}.
 */
final class RawAppend {
  private final Table table;
  private final GenericFileWriterFactory writers;
  private FanoutDataWriter<Record> data;

  RawAppend(Table table) {
    this.table = table;
    this.writers =
        new GenericFileWriterFactory.Builder(table).dataFileFormat(FileFormat.PARQUET).build();
  }

  /** Writes {@code rows} into the flush's open files. */
  void write(List<Record> rows) {
    if (data == null) {
      OutputFileFactory files =
          OutputFileFactory.builderFor(table, 0, 0)
              .format(FileFormat.PARQUET)
              .operationId(UUID.randomUUID().toString())
              .build();
      data =
          new FanoutDataWriter<>(
              writers, files, table.io(), TableProperties.WRITE_TARGET_FILE_SIZE_BYTES_DEFAULT);
    }
    for (Record row : rows) {
      data.write(row, table.spec(), null);
    }
  }

  /** Closes the flush's files and appends them in one commit. */
  void commit() {
    try {
      data.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    AppendFiles append = table.newAppend();
    for (DataFile file : data.result().dataFiles()) {
      append.appendFile(file);
    }
    append.commit();
    data = null;
  }

  Table table() {
    return table;
  }
}
