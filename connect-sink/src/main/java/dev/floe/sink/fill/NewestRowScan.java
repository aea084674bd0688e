package dev.floe.sink.fill;

import dev.floe.sink.index.KeyMap;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileContent;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.MetadataColumns;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.BaseDeleteLoader;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.deletes.PositionDeleteIndex;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.TypeUtil;

/**
 * Finds the live rows of a few keys by reading data files newest first and stopping once every key
 * is settled. It relies on how the sink writes: every flush that writes a key also deletes its
 * earlier rows (by position, or by equality from all older files), so a key's newest row is its
 * only candidate, live unless its position is deleted or one of the equality deletes that apply to
 * that file holds the key. Hot keys are found in the newest files; no data file is joined against
 * every delete file, which a generic read does. Each delete file is read at most once, keeping only
 * the wanted keys; a data file's deleted positions are loaded once.
 *
 * <p>Tables it cannot read this way (a file not in Parquet, equality deletes on other columns:
 * another writer's work) are left to the generic reader: {@link #read} returns null.
 */
final class NewestRowScan {
  private final Table table;
  private final Schema schema;
  private final Schema keySchema;
  private final Set<StructLike> wanted;
  private final Map<String, Set<StructLike>> deletedByFile = new HashMap<>();
  private final BaseDeleteLoader positions;

  NewestRowScan(Table table, long snapshotId, Schema keySchema, Set<StructLike> wanted) {
    this.table = table;
    this.schema = table.schemas().get(table.snapshot(snapshotId).schemaId());
    this.keySchema = keySchema;
    this.wanted = wanted;
    this.positions =
        new BaseDeleteLoader(file -> dev.floe.sink.index.ImmutableFiles.open(table, file));
  }

  /**
   * The live row of each wanted key found, projected on {@code select} ({@link
   * CommittedRows#DELETED} for a key whose newest row was deleted); null: not this way.
   */
  KeyMap<Record> read(
      long snapshotId, List<FileScanTask> tasks, Set<String> select, Expression filter) {
    Set<Integer> keyIds = new HashSet<>();
    keySchema.columns().forEach(c -> keyIds.add(c.fieldId()));
    for (FileScanTask task : tasks) {
      if (task.file().format() != FileFormat.PARQUET) {
        return null;
      }
      for (DeleteFile delete : task.deletes()) {
        boolean byKey =
            delete.content() == FileContent.EQUALITY_DELETES
                && delete.format() == FileFormat.PARQUET
                && keyIds.equals(new HashSet<>(delete.equalityFieldIds()));
        if (!byKey && delete.content() != FileContent.POSITION_DELETES) {
          return null;
        }
      }
    }
    List<FileScanTask> newestFirst = new ArrayList<>(tasks);
    newestFirst.sort(Comparator.comparing(NewestRowScan::sequenceOf).reversed());
    Schema projection = schema.select(new ArrayList<>(select));
    KeyMap<Record> found = KeyMap.create(keySchema.asStruct());
    Set<StructLike> settled = KeyMap.setOf(keySchema.asStruct());
    int i = 0;
    while (i < newestFirst.size() && settled.size() < wanted.size()) {
      // files of one sequence number are one commit: a key is settled once all of them are read
      long sequence = sequenceOf(newestFirst.get(i));
      KeyMap<Record> newest = KeyMap.create(keySchema.asStruct());
      for (; i < newestFirst.size() && sequenceOf(newestFirst.get(i)) == sequence; i++) {
        readFile(newestFirst.get(i), projection, filter, settled, newest);
      }
      newest.forEach(
          (key, row) -> {
            settled.add(key);
            found.put(key, row == DELETED ? CommittedRows.DELETED : row);
          });
    }
    if (settled.size() < wanted.size()) {
      settleNeverFound(snapshotId, keyIds, settled, found);
    }
    return found;
  }

  /**
   * A key with no data row may still have been written and deleted (inserted and deleted within one
   * flush leaves only its equality delete): every delete file of the snapshot is searched for the
   * keys no data file held, which happens only for those rare keys.
   */
  private void settleNeverFound(
      long snapshotId, Set<Integer> keyIds, Set<StructLike> settled, KeyMap<Record> found) {
    try (CloseableIterable<DeleteFile> deletes = deleteFiles(snapshotId)) {
      for (DeleteFile delete : deletes) {
        if (delete.content() == FileContent.EQUALITY_DELETES
            && delete.format() == FileFormat.PARQUET
            && keyIds.equals(new HashSet<>(delete.equalityFieldIds()))) {
          for (StructLike key : deletedKeys(delete)) {
            if (!settled.contains(key)) {
              found.put(key, CommittedRows.DELETED);
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private CloseableIterable<DeleteFile> deleteFiles(long snapshotId) {
    List<CloseableIterable<DeleteFile>> manifests = new ArrayList<>();
    for (ManifestFile manifest : table.snapshot(snapshotId).deleteManifests(table.io())) {
      manifests.add(
          CloseableIterable.transform(
              ManifestFiles.readDeleteManifest(manifest, table.io(), table.specs()),
              DeleteFile::copy));
    }
    return CloseableIterable.concat(manifests);
  }

  private static final Record DELETED = GenericRecord.create(new Schema());

  private void readFile(
      FileScanTask task,
      Schema projection,
      Expression filter,
      Set<StructLike> settled,
      KeyMap<Record> newest) {
    List<DeleteFile> positionDeletes =
        task.deletes().stream().filter(d -> d.content() == FileContent.POSITION_DELETES).toList();
    PositionDeleteIndex byPosition =
        positionDeletes.isEmpty()
            ? null
            : positions.loadPositionDeletes(positionDeletes, task.file().location());
    Schema read =
        byPosition == null
            ? projection
            : TypeUtil.join(projection, new Schema(MetadataColumns.ROW_POSITION));
    try (CloseableIterable<Record> rows =
        Parquet.read(dev.floe.sink.index.ImmutableFiles.open(table, task.file()))
            .project(read)
            .filter(filter) // skips row groups only: positions stay those of the file
            .createReaderFunc(fileSchema -> GenericParquetReaders.buildReader(read, fileSchema))
            .build()) {
      for (Record row : rows) {
        Record key = keyOf(row);
        if (!wanted.contains(key) || settled.contains(key)) {
          continue;
        }
        boolean deleted =
            byPosition != null
                && byPosition.isDeleted((Long) row.getField(MetadataColumns.ROW_POSITION.name()));
        for (DeleteFile delete : task.deletes()) {
          if (delete.content() == FileContent.EQUALITY_DELETES) {
            deleted |= deletedKeys(delete).contains(key);
          }
        }
        newest.merge(key, deleted ? DELETED : row, (a, b) -> NewestRow.of(schema).newer(a, b));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The wanted keys {@code delete} removes, read once. */
  private Set<StructLike> deletedKeys(DeleteFile delete) {
    return deletedByFile.computeIfAbsent(
        delete.location(),
        path -> dev.floe.sink.index.KeyColumns.wantedIn(table, delete, keySchema, wanted));
  }

  private Record keyOf(Record row) {
    return dev.floe.sink.index.KeyColumns.keyOf(row, keySchema);
  }

  private static long sequenceOf(FileScanTask task) {
    Long sequence = task.file().dataSequenceNumber();
    return sequence == null ? 0 : sequence;
  }
}
