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

/**
 * Which keys one table may hold, as a Bloom filter (Parquet's): a key it has never seen is
 * certainly not in the table, so its row needs no equality delete. It is built from the key columns
 * of the table's data files, kept in step with every commit since (this task's, other tasks',
 * another writer's) by reading the key columns of the data files they added, and built again when
 * it cannot follow (its snapshot expired, the table went back). Deleted keys stay in it: a key it
 * says may be there only costs a look for its row.
 *
 * <p>When its keys outgrow it, a larger filter is added beside it (a scalable Bloom filter): the
 * keys it holds are not read from the table again, which for a table loaded from empty (a first
 * snapshot of millions of rows) was a read of every key at each doubling. Each added filter is
 * twice as selective, so the false positives of all of them stay under twice the first's; after
 * {@link #MAX_FILTERS} it is built again as one, which bounds its memory.
 *
 * <p>It also keeps where this task's own committed rows are ({@link OwnRowPlaces}), following the
 * same commits to drop what they make wrong; for a key of one whole-number column, where every live
 * row of the table is, read with the keys when it is built ({@link LiveRowPlaces}).
 */
public final class KeyIndex {
  private static final double FALSE_POSITIVES = 0.01;
  private static final long MIN_KEYS = 100_000;
  static final int MAX_FILTERS = 4;

  private final long minKeys;
  private final Schema keySchema;
  private final KeyBytes keyBytes;
  // the last one takes the keys added; a key may be in any
  private final List<BlockSplitBloomFilter> filters = new ArrayList<>();
  private volatile long bytes; // read by the metrics
  private long capacity; // of the last filter
  private long keys; // in the last filter
  private long allKeys;
  private Long syncedSnapshotId;
  private final Set<String> ownFiles = new HashSet<>();
  private final OwnRowPlaces ownRows;
  private final KeyRange range = new KeyRange();
  private int builds;

  private final KeyIndexes budget;

  KeyIndex(Schema keySchema, KeyIndexes budget) {
    this(keySchema, budget, MIN_KEYS);
  }

  /**
   * @param minKeys the keys its smallest filter has room for
   */
  KeyIndex(Schema keySchema, KeyIndexes budget, long minKeys) {
    this.minKeys = minKeys;
    this.keySchema = keySchema;
    this.keyBytes = KeyBytes.forKey(keySchema);
    this.budget = budget;
    this.ownRows = OwnRowPlaces.forKey(keySchema, budget);
  }

  /** The memory its filters and the places of its own rows take. */
  long bytes() {
    return bytes + ownRows.bytes();
  }

  /** The memory the places of its own rows take. */
  long placeBytes() {
    return ownRows.bytes();
  }

  /** Lets go of the places of its own rows, for a filter. */
  void releasePlaces() {
    ownRows.release();
  }

  /** Brings the index up to {@code table}'s current snapshot (the table is refreshed already). */
  public void sync(Table table) {
    Snapshot current = table.currentSnapshot();
    boolean full = keys >= capacity;
    if (filters.isEmpty() || full && filters.size() == MAX_FILTERS || full && !addLargerFilter()) {
      // one filter, in what the budget leaves once the old ones are gone; the places of this
      // task's rows are kept if the commits since the last sync can be followed
      boolean followed = !filters.isEmpty() && follow(table, current);
      build(table, current, !followed);
      return;
    }
    if (!follow(table, current)) {
      build(table, current, true); // the snapshot it followed is gone (expired, rolled back)
    }
  }

  /**
   * Takes in the commits since the last sync, oldest first: their new keys, and what they make
   * wrong in the places of this task's rows. False when the snapshot synced last is not an ancestor
   * of {@code current} any more.
   */
  private boolean follow(Table table, Snapshot current) {
    Long target = current == null ? null : current.snapshotId();
    if (java.util.Objects.equals(target, syncedSnapshotId)) {
      return true;
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
      return false;
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
            addKeysOf(
                table, file, true); // another writer's rows: this task's of those keys may be gone
          }
        }
      } else if (ownRows.lostAny()) { // a compaction: the places it moved are in its new files
        LiveRowPlaces moved = new LiveRowPlaces(table, keySchema, ownRows);
        for (DataFile file : snapshot.addedDataFiles(table.io())) {
          if (file.format() == FileFormat.PARQUET) {
            moved.moved(file);
          }
        }
        moved.done();
      }
      ownRows.filled(); // a removal's lost places are not handed to a later commit's files
    }
    syncedSnapshotId = target;
    return true;
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
   * This task committed a flush of these keys: where each row is (null: unknown, or the key
   * deleted), kept as the map it is; and the keys it deleted by equality, whose rows anywhere are
   * gone.
   */
  public void ownRowsCommitted(
      KeyMap<KeyLocations.RowAt> rows, Iterable<? extends StructLike> deletedByEquality) {
    deletedByEquality.forEach(ownRows::forget);
    ownRows.committed(rows);
  }

  /** False only when {@code key} is certainly not in the table (as of the last sync). */
  public boolean mayHold(StructLike key) {
    if (range.excludes(key)) {
      return false;
    }
    if (!keyBytes.fill(key)) {
      return true;
    }
    long hash = keyBytes.hash();
    for (int i = filters.size() - 1; i >= 0; i--) { // the newest keys are the likeliest
      if (filters.get(i).findHash(hash)) {
        return true;
      }
    }
    return false;
  }

  /** {@code key} is written by this task's flush (it may be in the table from then on). */
  public void add(StructLike key) {
    range.widen(key);
    if (keyBytes.fill(key)) {
      if (keys >= capacity && filters.size() < MAX_FILTERS) {
        // full: the larger filter now, not at the next sync. A filter given a whole flush more
        // than it was sized for is overloaded for good: twice its keys made ~15% of new keys
        // "may hold", each then looked for in the table's files. Without room in the budget the
        // keys go on into the full one, and the next sync builds the index again.
        addLargerFilter();
      }
      filters.get(filters.size() - 1).insertHash(keyBytes.hash());
      keys++;
      allKeys++;
    }
  }

  /** Data files of this task's flush: their keys are in already, a sync need not read them. */
  public void written(Iterable<DataFile> files) {
    files.forEach(file -> ownFiles.add(file.location()));
  }

  /** Its Bloom filters now. */
  int filters() {
    return filters.size();
  }

  /** How many times the index was built from the whole table. */
  public int builds() {
    return builds;
  }

  private void build(Table table, Snapshot current, boolean forgetOwnRows) {
    List<FileScanTask> tasks = new ArrayList<>();
    long rows = 0;
    long live = 0; // of the rows: those no deletion vector removes
    if (current != null) {
      try (CloseableIterable<FileScanTask> planned =
          table.newScan().useSnapshot(current.snapshotId()).planFiles()) {
        for (FileScanTask task : planned) {
          tasks.add(task);
          rows += task.file().recordCount();
          live += task.file().recordCount();
          for (org.apache.iceberg.DeleteFile delete : task.deletes()) {
            if (org.apache.iceberg.util.ContentFileUtil.isDV(delete)) {
              live -= delete.recordCount(); // its deleted positions
            }
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    budget.release(bytes);
    bytes = 0;
    filters.clear();
    range.clear();
    allKeys = 0;
    if (!addFilter(2 * rows, FALSE_POSITIVES)) {
      throw new UnsupportedOperationException(
          "its key index would take "
              + filterBytes(2 * rows, FALSE_POSITIVES)
              + " bytes, over what iceberg.tables.key-index.max-bytes leaves");
    }
    ownFiles.clear();
    // what changed since cannot be told: the places are read again with the keys, where they can
    // be held for the whole table
    LiveRowPlaces places = null;
    if (forgetOwnRows) {
      ownRows.clear();
      places = ownRows.fillsFromTable() ? new LiveRowPlaces(table, keySchema, ownRows) : null;
      if (places != null) {
        ownRows.expect(live); // grown once, not doubling (and moving every place) as it fills
      }
    }
    for (FileScanTask task : tasks) {
      if (places != null && task.file().format() == FileFormat.PARQUET) {
        places.read(task, this::add);
      } else {
        addKeysOf(table, task.file(), false); // the whole table: not another writer's commit
      }
    }
    if (places != null) {
      places.done();
    }
    syncedSnapshotId = current == null ? null : current.snapshotId();
    builds++;
  }

  /**
   * The next filter of a scalable Bloom filter: room for twice all keys, at half the previous
   * filter's rate; false when the budget has no room for it.
   */
  private boolean addLargerFilter() {
    return addFilter(2 * allKeys, FALSE_POSITIVES / (1L << filters.size()));
  }

  /**
   * A new filter for the keys added from now on: room for {@code expected}, at this rate; false
   * when the budget has no room for it.
   */
  private boolean addFilter(long expected, double falsePositives) {
    int size = filterBytes(expected, falsePositives);
    if (!budget.reserve(size)) {
      return false;
    }
    filters.add(new BlockSplitBloomFilter(size, BlockSplitBloomFilter.UPPER_BOUND_BYTES));
    bytes += size;
    capacity = Math.max(minKeys, expected);
    keys = 0;
    return true;
  }

  private int filterBytes(long expected, double falsePositives) {
    long bits = BlockSplitBloomFilter.optimalNumOfBits(Math.max(minKeys, expected), falsePositives);
    return Math.min(
        BlockSplitBloomFilter.UPPER_BOUND_BYTES,
        Math.max(BlockSplitBloomFilter.LOWER_BOUND_BYTES, (int) (bits / 8)));
  }

  /**
   * Adds the keys of {@code file}; {@code anotherWriters}: a commit of another writer added it, so
   * this task's rows of those keys may have been deleted with it.
   */
  private void addKeysOf(Table table, DataFile file, boolean anotherWriters) {
    if (file.format() != FileFormat.PARQUET) {
      throw new UnsupportedOperationException("data file " + file.location() + " is not Parquet");
    }
    KeyColumns.forEachRow(
        table,
        file,
        keySchema,
        row -> {
          add(row);
          if (anotherWriters) {
            ownRows.forget(row);
          }
        });
  }
}
