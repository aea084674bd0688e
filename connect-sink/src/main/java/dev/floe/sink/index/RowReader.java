package dev.floe.sink.index;

import dev.floe.sink.index.KeyLocations.RowAt;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileContent;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.MetadataColumns;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.BaseDeleteLoader;
import org.apache.iceberg.data.GenericDeleteFilter;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.deletes.PositionDeleteIndex;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.TypeUtil;
import org.apache.iceberg.util.ByteBuffers;

/**
 * Reads the live rows of some keys from one data file: its key columns and row positions, minus the
 * positions its deletion vector or position deletes remove and the keys its equality deletes hold.
 * An equality delete file applies to many data files: it is read once per look, keeping only the
 * wanted keys, where Iceberg's generic delete filter would read it again for every data file.
 * Equality deletes on other columns than the key (another writer's) go through that filter.
 */
final class RowReader {
  private final Table table;
  private final Schema tableSchema;
  private final Schema keySchema;
  private final Expression keyFilter;
  private final Set<StructLike> wanted;
  private final Set<Integer> keyIds = new HashSet<>();
  private final Schema projection;
  private final int keySize;
  private final Record keyTemplate;
  private final BaseDeleteLoader positions;
  private final Map<String, Set<StructLike>> deletedKeys = new ConcurrentHashMap<>();

  RowReader(
      Table table,
      Schema tableSchema,
      Schema keySchema,
      Expression keyFilter,
      Set<StructLike> wanted) {
    this.table = table;
    this.tableSchema = tableSchema;
    this.keySchema = keySchema;
    this.keyFilter = keyFilter;
    this.wanted = wanted;
    keySchema.columns().forEach(c -> keyIds.add(c.fieldId()));
    this.projection = TypeUtil.join(keySchema, new Schema(MetadataColumns.ROW_POSITION));
    this.keySize = keySchema.columns().size();
    this.keyTemplate = GenericRecord.create(keySchema);
    this.positions = new BaseDeleteLoader(file -> ImmutableFiles.open(table, file));
  }

  /** The wanted keys' live rows in {@code task}'s data file. */
  List<Map.Entry<Record, KeyLocations.RowAt>> liveRows(FileScanTask task) {
    List<DeleteFile> byPosition = new ArrayList<>();
    List<DeleteFile> byKey = new ArrayList<>();
    for (DeleteFile delete : task.deletes()) {
      if (delete.content() == FileContent.POSITION_DELETES) {
        byPosition.add(delete);
      } else if (delete.format() == FileFormat.PARQUET
          && keyIds.equals(new HashSet<>(delete.equalityFieldIds()))) {
        byKey.add(delete);
      } else {
        return generic(task); // equality deletes on other columns
      }
    }
    PositionDeleteIndex dead =
        byPosition.isEmpty()
            ? null
            : positions.loadPositionDeletes(byPosition, task.file().location());
    DataFile file = task.file().copyWithoutStats(); // only its location, spec and partition
    List<Map.Entry<Record, KeyLocations.RowAt>> found = new ArrayList<>();
    // most rows read are not wanted: each is matched through a view of its key columns (the
    // projection's first) on one reused record, and only a wanted row's key is copied out; a row
    // deleted by position is passed over first (in a table of updates most rows are: each update
    // leaves its key's old row behind, and matching its key is the dearer test)
    KeyView key = new KeyView(keySize);
    try (CloseableIterable<Record> rows = read(task, projection, true)) {
      for (Record row : rows) {
        long position = (Long) row.get(keySize);
        if (dead != null && dead.isDeleted(position)) {
          continue;
        }
        key.of(row);
        if (wanted.contains(key)
            && byKey.stream().noneMatch(delete -> deletedKeys(delete).contains(key))) {
          found.add(new AbstractMap.SimpleEntry<>(copyKey(row), new RowAt(file, position)));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return found;
  }

  /** Iceberg's own delete filter, for a file with deletes this reader does not apply itself. */
  private List<Map.Entry<Record, KeyLocations.RowAt>> generic(FileScanTask task) {
    GenericDeleteFilter deletes =
        new GenericDeleteFilter(table.io(), task, tableSchema, projection);
    DataFile file = task.file().copyWithoutStats();
    List<Map.Entry<Record, KeyLocations.RowAt>> found = new ArrayList<>();
    try (CloseableIterable<Record> rows =
        deletes.filter(read(task, deletes.requiredSchema(), false))) {
      for (Record row : rows) {
        Record key = keyOf(row);
        if (wanted.contains(key)) {
          long position = (Long) row.getField(MetadataColumns.ROW_POSITION.name());
          found.add(new AbstractMap.SimpleEntry<>(key, new KeyLocations.RowAt(file, position)));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return found;
  }

  private CloseableIterable<Record> read(FileScanTask task, Schema schema, boolean reuse) {
    Parquet.ReadBuilder read =
        Parquet.read(ImmutableFiles.open(table, task.file()))
            .project(schema)
            .filter(keyFilter) // skips row groups only: positions stay those of the file
            .createReaderFunc(fileSchema -> GenericParquetReaders.buildReader(schema, fileSchema));
    return (reuse ? read.reuseContainers() : read).build();
  }

  /** The key of {@code row} (of the projection: key columns first) as a record of its own. */
  private Record copyKey(Record row) {
    Record key = keyTemplate.copy();
    for (int i = 0; i < keySize; i++) {
      Object value = row.get(i);
      // a reused row may reuse its buffers too
      key.set(i, value instanceof ByteBuffer bytes ? ByteBuffers.copy(bytes) : value);
    }
    return key;
  }

  /** The wanted keys {@code delete} removes, read once per look. */
  private Set<StructLike> deletedKeys(DeleteFile delete) {
    return deletedKeys.computeIfAbsent(
        delete.location(), path -> KeyColumns.wantedIn(table, delete, keySchema, wanted));
  }

  private Record keyOf(Record row) {
    return KeyColumns.keyOf(row, keySchema);
  }
}
