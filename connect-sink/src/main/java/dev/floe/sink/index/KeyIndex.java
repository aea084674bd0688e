package dev.floe.sink.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataOperations;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.util.SnapshotUtil;
import org.apache.parquet.column.values.bloomfilter.BlockSplitBloomFilter;
import org.apache.parquet.io.api.Binary;

/**
 * Which keys one table may hold, as a Bloom filter (Parquet's): a key it has never seen is
 * certainly not in the table, so its row needs no equality delete. It is built from the key columns
 * of the table's data files, kept in step with every commit since (this task's, other tasks',
 * another writer's) by reading the key columns of the data files they added, and built again when
 * it cannot follow (its snapshot expired, the table went back, it filled up). Deleted keys stay in
 * it: a key it says may be there only costs a look for its row.
 *
 * <p>It also keeps where this task's own committed rows are ({@link OwnRows}), following the same
 * commits to drop what they make wrong.
 */
public final class KeyIndex {
  private static final double FALSE_POSITIVES = 0.01;
  private static final long MIN_KEYS = 100_000;

  private final Schema keySchema;
  private final KeyBytes keyBytes;
  private BlockSplitBloomFilter filter;
  private long capacity;
  private long keys;
  private Long syncedSnapshotId;
  private final Set<String> ownFiles = new HashSet<>();
  private final OwnRows ownRows;
  private int builds;

  private final KeyIndexes budget;

  KeyIndex(Schema keySchema, KeyIndexes budget) {
    this.keySchema = keySchema;
    this.keyBytes = KeyBytes.forKey(keySchema);
    this.budget = budget;
    this.ownRows = new OwnRows(keySchema);
  }

  /** The memory its filter takes. */
  long bytes() {
    return filter == null ? 0 : filter.getBitsetSize();
  }

  /** Brings the index up to {@code table}'s current snapshot (the table is refreshed already). */
  public void sync(Table table) {
    Snapshot current = table.currentSnapshot();
    if (filter == null || keys > capacity) {
      build(table, current);
      return;
    }
    Long target = current == null ? null : current.snapshotId();
    if (java.util.Objects.equals(target, syncedSnapshotId)) {
      return;
    }
    List<Snapshot> newer = new ArrayList<>();
    boolean found = syncedSnapshotId == null;
    if (current != null) {
      for (Snapshot s : SnapshotUtil.ancestorsOf(current.snapshotId(), table::snapshot)) {
        if (s.snapshotId() == (syncedSnapshotId == null ? -1 : syncedSnapshotId)) {
          found = true;
          break;
        }
        newer.add(s);
      }
    }
    if (!found) {
      build(table, current); // the snapshot it followed is gone (expired, rolled back): again
      return;
    }
    java.util.Collections.reverse(newer); // oldest first
    for (Snapshot snapshot : newer) {
      if (removesDataFiles(snapshot)) { // a compaction, a truncate: rows moved or gone
        List<String> removed = new ArrayList<>();
        snapshot.removedDataFiles(table.io()).forEach(file -> removed.add(file.location()));
        ownRows.removed(removed);
      }
      if (!DataOperations.REPLACE.equals(snapshot.operation())) { // a rewrite adds no key
        for (DataFile file : snapshot.addedDataFiles(table.io())) {
          if (!ownFiles.remove(file.location())) {
            addKeysOf(table, file); // another writer's rows: this task's of those keys may be gone
          }
        }
      }
    }
    syncedSnapshotId = target;
  }

  private static boolean removesDataFiles(Snapshot snapshot) {
    String removed = snapshot.summary().get(org.apache.iceberg.SnapshotSummary.DELETED_FILES_PROP);
    return removed == null || Long.parseLong(removed) > 0;
  }

  /**
   * Where this task's committed row of {@code key} is, as of the last sync; null when it does not
   * know (the table is read for it then).
   */
  public KeyLocations.RowAt ownRow(StructLike key) {
    return ownRows.of(key);
  }

  /**
   * This task committed rows of these keys: where each is (null: unknown, or the key deleted), and
   * the keys it deleted by equality, whose rows anywhere are gone.
   */
  public void ownRowsCommitted(
      java.util.Map<? extends StructLike, KeyLocations.RowAt> rows,
      Iterable<? extends StructLike> deletedByEquality) {
    deletedByEquality.forEach(ownRows::forget);
    ownRows.committed(rows);
  }

  /** False only when {@code key} is certainly not in the table (as of the last sync). */
  public boolean mayHold(StructLike key) {
    byte[] bytes = keyBytes.of(key);
    return bytes == null || filter.findHash(filter.hash(Binary.fromConstantByteArray(bytes)));
  }

  /** {@code key} is written by this task's flush (it may be in the table from then on). */
  public void add(StructLike key) {
    byte[] bytes = keyBytes.of(key);
    if (bytes != null) {
      filter.insertHash(filter.hash(Binary.fromConstantByteArray(bytes)));
      keys++;
    }
  }

  /** Data files of this task's flush: their keys are in already, a sync need not read them. */
  public void written(Iterable<DataFile> files) {
    files.forEach(file -> ownFiles.add(file.location()));
  }

  /** How many times the index was built from the whole table. */
  public int builds() {
    return builds;
  }

  private void build(Table table, Snapshot current) {
    List<DataFile> files = new ArrayList<>();
    long rows = 0;
    if (current != null) {
      try (CloseableIterable<FileScanTask> tasks =
          table.newScan().useSnapshot(current.snapshotId()).planFiles()) {
        for (FileScanTask task : tasks) {
          files.add(task.file());
          rows += task.file().recordCount();
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    capacity = Math.max(MIN_KEYS, Math.max(2 * rows, 2 * keys));
    int bytes =
        Math.min(
            BlockSplitBloomFilter.UPPER_BOUND_BYTES,
            Math.max(
                BlockSplitBloomFilter.LOWER_BOUND_BYTES,
                BlockSplitBloomFilter.optimalNumOfBits(capacity, FALSE_POSITIVES) / 8));
    budget.release(bytes());
    filter = null;
    if (!budget.reserve(bytes)) {
      throw new UnsupportedOperationException(
          "its key index would take "
              + bytes
              + " bytes, over what iceberg.tables.key-index.max-bytes leaves");
    }
    filter = new BlockSplitBloomFilter(bytes, BlockSplitBloomFilter.UPPER_BOUND_BYTES);
    keys = 0;
    ownFiles.clear();
    ownRows.clear(); // what changed since cannot be told
    for (DataFile file : files) {
      addKeysOf(table, file);
    }
    syncedSnapshotId = current == null ? null : current.snapshotId();
    builds++;
  }

  private void addKeysOf(Table table, DataFile file) {
    if (file.format() != FileFormat.PARQUET) {
      throw new UnsupportedOperationException("data file " + file.location() + " is not Parquet");
    }
    KeyColumns.forEachRow(
        table,
        file,
        keySchema,
        row -> {
          add(row);
          ownRows.forget(row);
        });
  }
}
