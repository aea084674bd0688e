package dev.floe.sink.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Types.NestedField;

/** The key columns of a table's Parquet files: which keys a data or equality delete file holds. */
public final class KeyColumns {
  private KeyColumns() {}

  /** The keys in {@code file} (only its key columns read) that {@code wanted} holds. */
  public static Set<StructLike> wantedIn(
      Table table, ContentFile<?> file, Schema keySchema, Set<StructLike> wanted) {
    Set<StructLike> keys = KeyMap.setOf(keySchema.asStruct());
    forEachRow(
        table,
        file,
        keySchema,
        row -> {
          Record key = keyOf(row, keySchema);
          if (wanted.contains(key)) {
            keys.add(key);
          }
        });
    return keys;
  }

  /** Each row of {@code file} with only its key columns read (the record is reused: copy it). */
  static void forEachRow(
      Table table, ContentFile<?> file, Schema keySchema, Consumer<Record> visitor) {
    try (CloseableIterable<Record> rows =
        Parquet.read(ImmutableFiles.open(table, file))
            .project(keySchema)
            .createReaderFunc(
                fileSchema -> GenericParquetReaders.buildReader(keySchema, fileSchema))
            .build()) {
      rows.forEach(visitor);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code row}'s key columns, as a record of {@code keySchema}. */
  public static Record keyOf(Record row, Schema keySchema) {
    GenericRecord key = GenericRecord.create(keySchema);
    for (NestedField column : keySchema.columns()) {
      key.setField(column.name(), row.getField(column.name()));
    }
    return key;
  }
}
