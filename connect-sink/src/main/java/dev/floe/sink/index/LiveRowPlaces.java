package dev.floe.sink.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
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
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.deletes.PositionDeleteIndex;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.TypeUtil;

/**
 * The key index's read of a whole table (at a task's start, or when it cannot follow the table)
 * that also tells where each live row is: the key columns with each row's position, minus what the
 * file's deletion vector or position deletes and the equality deletes of its keys remove. A
 * restarted task then deletes the old row of any key by position without reading the table for it,
 * as it does for the rows it wrote itself; without this every key written before the restart (and a
 * rebalance restarts every task) was read for at its first update.
 *
 * <p>A place must be the key's only live row: a key found live twice (another writer appended it)
 * gets none, and is read for as before. A data file with deletes this reader does not apply
 * (equality deletes on other columns, or more deleted keys than it holds in memory) gives its keys
 * to the filters only.
 */
final class LiveRowPlaces {
  /**
   * Keys of equality delete files held to tell a file's live rows (8 bytes each, while the index is
   * built); beyond, no places.
   */
  static final long MAX_DELETED_KEYS = 1_000_000;

  private final Table table;
  private final Schema keySchema;
  private final Schema projection;
  private final int keySize;
  private final Set<Integer> keyIds = new HashSet<>();
  private final OwnRowPlaces places;
  private final BaseDeleteLoader positions;
  private final Map<String, long[]> deletedKeys = new HashMap<>();
  private long deletedKeysHeld;

  LiveRowPlaces(Table table, Schema keySchema, OwnRowPlaces places) {
    this.table = table;
    this.keySchema = keySchema;
    this.projection = TypeUtil.join(keySchema, new Schema(MetadataColumns.ROW_POSITION));
    this.keySize = keySchema.columns().size();
    keySchema.columns().forEach(column -> keyIds.add(column.fieldId()));
    this.places = places;
    this.positions = new BaseDeleteLoader(file -> ImmutableFiles.open(table, file));
  }

  /**
   * Reads every data file of a snapshot into places that are to hold every key: each live row's
   * place, and the keys of a file whose live rows cannot be told without one.
   *
   * @throws UnsupportedOperationException for a data file not in Parquet (its keys are not read)
   */
  void readAll(List<FileScanTask> tasks) {
    for (FileScanTask task : tasks) {
      if (task.file().format() != FileFormat.PARQUET) {
        throw new UnsupportedOperationException(
            "data file " + task.file().location() + " is not Parquet");
      }
      read(task, null);
    }
    done();
  }

  /**
   * Hands every row's key of {@code task}'s data file to {@code keys} (a reused record: copy what
   * is kept), and puts where each live row is. With {@code keys} null the places hold every key: a
   * file whose live rows cannot be told gives each of its keys without a place.
   */
  void read(FileScanTask task, Consumer<StructLike> keys) {
    List<long[]> deletedByKey = new ArrayList<>();
    List<DeleteFile> byPosition = new ArrayList<>();
    boolean placed = true;
    for (DeleteFile delete : task.deletes()) {
      if (delete.content() == FileContent.POSITION_DELETES) {
        byPosition.add(delete);
      } else {
        long[] deleted = keysOf(delete);
        placed &= deleted != null;
        if (deleted != null) {
          deletedByKey.add(deleted);
        }
      }
    }
    PositionDeleteIndex dead =
        !placed || byPosition.isEmpty()
            ? null
            : positions.loadPositionDeletes(byPosition, task.file().location());
    DataFile file = task.file().copyWithoutStats(); // one object for all its places
    KeyView key = new KeyView(keySize);
    try (CloseableIterable<Record> rows = readKeys(task.file())) {
      for (Record row : rows) {
        key.of(row);
        if (keys != null) {
          keys.accept(key);
        } else if (!placed) {
          places.found(key, null, -1);
        }
        long position = (Long) row.get(keySize);
        if (placed && (dead == null || !dead.isDeleted(position)) && !deleted(deletedByKey, key)) {
          places.found(key, file, position);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A rewrite's new data file (a compaction, Floe's or another engine's): the rows whose places
   * went with the files it replaced are here now. The rewrite copied only live rows, so the places
   * of those keys are exact again without reading the table for them.
   */
  void moved(DataFile added) {
    DataFile file = added.copyWithoutStats();
    KeyView key = new KeyView(keySize);
    try (CloseableIterable<Record> rows = readKeys(added)) {
      for (Record row : rows) {
        key.of(row);
        if (places.lostPlace(key)) {
          places.found(key, file, (Long) row.get(keySize));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean deleted(List<long[]> deletedByKey, StructLike key) {
    if (deletedByKey.isEmpty()) {
      return false;
    }
    long number = NumberKeyRows.numberOf(key);
    for (long[] deleted : deletedByKey) {
      if (java.util.Arrays.binarySearch(deleted, number) >= 0) {
        return true;
      }
    }
    return false;
  }

  /** The read is over: a key found twice stays without a place. */
  void done() {
    places.filled();
  }

  /** The key columns and position of every row of {@code file}, in one reused record. */
  private CloseableIterable<Record> readKeys(DataFile file) {
    return Parquet.read(ImmutableFiles.open(table, file))
        .project(projection)
        .createReaderFunc(fileSchema -> GenericParquetReaders.buildReader(projection, fileSchema))
        .reuseContainers()
        .build();
  }

  /**
   * The keys {@code delete} removes, when it is an equality delete of the key columns this reader
   * holds in memory; null otherwise.
   */
  private long[] keysOf(DeleteFile delete) {
    if (delete.format() != FileFormat.PARQUET
        || !keyIds.equals(new HashSet<>(delete.equalityFieldIds()))) {
      return null;
    }
    if (deletedKeys.containsKey(delete.location())) {
      return deletedKeys.get(delete.location());
    }
    long[] keys = null;
    if (deletedKeysHeld + delete.recordCount() <= MAX_DELETED_KEYS) {
      deletedKeysHeld += delete.recordCount();
      long[] read = new long[(int) delete.recordCount()];
      int[] count = {0};
      KeyColumns.forEachRow(
          table,
          delete,
          keySchema,
          row -> {
            if (count[0] == read.length) {
              throw new IllegalStateException(delete.location() + " holds more rows than it says");
            }
            read[count[0]++] = NumberKeyRows.numberOf(row);
          });
      keys = java.util.Arrays.copyOf(read, count[0]);
      java.util.Arrays.sort(keys);
    }
    deletedKeys.put(delete.location(), keys);
    return keys;
  }
}
