package dev.floe.sink.maintain;

import dev.floe.sink.index.KeyLocations;
import dev.floe.sink.index.KeyMap;
import dev.floe.sink.schema.TableKey;
import dev.floe.sink.write.RowPositions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileContent;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.MetadataColumns;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotChanges;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.BaseDeleteLoader;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.deletes.PositionDeleteIndex;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.TypeUtil;
import org.apache.iceberg.types.Types.NestedField;
import org.apache.iceberg.util.ContentFileUtil;

/**
 * The rows that commits after a compaction's snapshot deleted by position from the files it
 * rewrites: the sink's flushes go on while it runs, and each update of an old key deletes that
 * key's row in one of those files. Rather than lose the race to them at every run, the compaction
 * takes them in: the keys of those rows are deleted from the rewritten files by position in the
 * same commit, and the delete files that pointed at the old files go with them.
 */
final class LaterDeletes {
  private final Table table;
  private final Schema keySchema;
  private final Map<String, FileScanTask> rewritten = new HashMap<>();
  private final Set<StructLike> keys;
  private final Map<String, DeleteFile> toRemove = new HashMap<>();
  private final java.util.Set<String> gone = new java.util.HashSet<>();
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LaterDeletes.class);
  private final BaseDeleteLoader loader;
  private long from;

  LaterDeletes(Table table, Snapshot from, Collection<FileScanTask> rewritten) {
    this.table = table;
    this.keySchema = TableKey.of(table).select(table.schema());
    this.keys = KeyMap.setOf(keySchema.asStruct());
    this.from = from.snapshotId();
    rewritten.forEach(task -> this.rewritten.put(task.file().location(), task));
    this.loader = new BaseDeleteLoader(file -> table.io().newInputFile(file));
  }

  /**
   * Takes in what the commits after the last snapshot taken in, up to {@code now}, deleted from the
   * rewritten files; false when it cannot: a rewritten file is gone (a truncate, another
   * compaction), the table has no key, or the snapshot is not an ancestor.
   */
  boolean catchUp(Snapshot now) {
    if (keySchema.columns().isEmpty()) {
      return false;
    }
    try {
      return takeIn(now);
    } catch (RuntimeException unreadable) {
      // another engine's delete file it cannot read: the race is lost, as without a catch-up
      LOG.info(
          "Compaction of {} cannot take in later deletes: {}", table.name(), unreadable.toString());
      return false;
    }
  }

  private boolean takeIn(Snapshot now) {
    List<Snapshot> newer = new ArrayList<>();
    for (Snapshot s = now; s != null && s.snapshotId() != from; ) {
      newer.add(0, s);
      s = s.parentId() == null ? null : table.snapshot(s.parentId());
      if (s == null) {
        return false;
      }
    }
    Map<String, java.util.Set<Long>> deletedNow = new HashMap<>();
    for (Snapshot snapshot : newer) {
      SnapshotChanges changes = SnapshotChanges.builderFor(table).snapshot(snapshot).build();
      for (DataFile removed : changes.removedDataFiles()) {
        if (rewritten.containsKey(removed.location())) {
          return false;
        }
      }
      for (DeleteFile removed : changes.removedDeleteFiles()) {
        toRemove.remove(id(removed));
        gone.add(id(removed)); // a vector replaced by a later one
      }
      for (DeleteFile added : changes.addedDeleteFiles()) {
        if (added.content() != FileContent.POSITION_DELETES) {
          continue; // an equality delete applies to the rewritten rows by sequence number
        }
        String target = ContentFileUtil.referencedDataFileLocation(added);
        for (String path : target != null ? List.of(target) : rewritten.keySet()) {
          if (rewritten.containsKey(path)) {
            java.util.Set<Long> positions =
                deletedNow.computeIfAbsent(path, p -> new java.util.HashSet<>());
            loader.loadPositionDeletes(List.of(added), path).forEach(positions::add);
            if (target != null) {
              toRemove.put(id(added), added.copy());
            }
          }
        }
      }
    }
    deletedNow.forEach(this::takeKeys);
    from = now.snapshotId();
    return true;
  }

  /** Whether {@code delete}, a delete file of the compaction's snapshot, was removed since. */
  boolean gone(DeleteFile delete) {
    return gone.contains(id(delete));
  }

  /** The snapshot taken in last: the rewrite is validated from it. */
  long from() {
    return from;
  }

  /** The later delete files that pointed at the rewritten files: removed with them. */
  Collection<DeleteFile> deleteFiles() {
    return toRemove.values();
  }

  /** Where the rows of the keys taken in are in the rewrite's own files. */
  RowPositions rowsIn(List<DataFile> written) {
    RowPositions rows = RowPositions.ofNewFiles(0, 0);
    if (keys.isEmpty()) {
      return rows;
    }
    for (DataFile file : written) {
      read(
          file,
          (key, position) -> {
            if (keys.contains(key)) {
              rows.delete(new KeyLocations.RowAt(file, position));
            }
          });
    }
    return rows;
  }

  /** The keys of the rows at the positions deleted since the compaction's snapshot. */
  private void takeKeys(String path, java.util.Set<Long> deleted) {
    FileScanTask task = rewritten.get(path);
    List<DeleteFile> before =
        task.deletes().stream().filter(d -> d.content() == FileContent.POSITION_DELETES).toList();
    PositionDeleteIndex deadBefore =
        before.isEmpty() ? PositionDeleteIndex.empty() : loader.loadPositionDeletes(before, path);
    read(
        task.file(),
        (key, position) -> {
          // a row dead before was not rewritten: its key's live row may be, and must stay
          if (deleted.contains(position) && !deadBefore.isDeleted(position)) {
            keys.add(key);
          }
        });
  }

  private interface RowVisitor {
    void row(StructLike key, long position);
  }

  private void read(DataFile file, RowVisitor visitor) {
    Schema projection = TypeUtil.join(keySchema, new Schema(MetadataColumns.ROW_POSITION));
    try (CloseableIterable<Record> rows =
        Parquet.read(table.io().newInputFile(file))
            .project(projection)
            .createReaderFunc(fs -> GenericParquetReaders.buildReader(projection, fs))
            .build()) {
      for (Record row : rows) {
        GenericRecord key = GenericRecord.create(keySchema);
        for (NestedField column : keySchema.columns()) {
          key.setField(column.name(), row.getField(column.name()));
        }
        visitor.row(key, (Long) row.getField(MetadataColumns.ROW_POSITION.name()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String id(DeleteFile file) {
    return file.location() + "@" + file.contentOffset();
  }
}
