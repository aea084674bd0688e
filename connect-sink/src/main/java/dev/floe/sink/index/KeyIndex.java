package dev.floe.sink.index;

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
import org.apache.iceberg.SnapshotChanges;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.util.SnapshotUtil;

/**
 * What a task knows of one table's keys: which keys it may hold ({@link KeyFilters}: a key it has
 * never seen is certainly not in the table, so its row needs no equality delete), and where rows
 * are ({@link OwnRowPlaces}: deleted by position without a read). Built from the key columns of the
 * table's data files, kept in step with every commit since (this task's, other tasks', another
 * writer's) by reading the key columns of the data files they added, and built again when it cannot
 * follow (its snapshot expired, the table went back) or its filters are full. For a key of one
 * whole-number column the build also reads where every live row is ({@link LiveRowPlaces}), and a
 * compaction's new files give the rows it moved their places.
 *
 * <p>Where those places have room for the whole table they hold every live key, and answer {@link
 * #mayHold} without Bloom filters: exactly (a deleted key is not "may hold"), and without hashing
 * every key into a filter at the build and at each new key. A task that started with it falls back
 * to filters, built from the table, when the places run out of room.
 */
public final class KeyIndex {
  private static final long MIN_KEYS = 100_000;

  private final Schema keySchema;
  private final KeyFilters filters;
  private Long syncedSnapshotId;
  private final Set<String> ownFiles = new HashSet<>();
  private final OwnRowPlaces ownRows;
  // this task's data files of the flush being committed: own once the commit is known to have
  // landed (ownRowsCommitted), as the places hold only what a commit said
  private final Set<String> pendingFiles = new HashSet<>();
  private boolean placesHoldAll; // may the places hold every key (else: filters)
  private boolean heldAll; // the last build made the places hold every key
  private int builds;

  KeyIndex(Schema keySchema, KeyIndexes budget) {
    this(keySchema, budget, MIN_KEYS, true);
  }

  /**
   * @param minKeys the keys its smallest filter has room for
   * @param placesHoldAll whether places that have room for the whole table stand for the filters
   */
  KeyIndex(Schema keySchema, KeyIndexes budget, long minKeys, boolean placesHoldAll) {
    this.keySchema = keySchema;
    this.filters = new KeyFilters(KeyBytes.forKey(keySchema), budget, minKeys);
    this.ownRows = OwnRowPlaces.forKey(keySchema, budget);
    this.placesHoldAll = placesHoldAll;
  }

  /** The memory its filters and the places of its own rows take. */
  long bytes() {
    return filters.bytes() + ownRows.bytes();
  }

  /** The memory the places of its own rows take. */
  long placeBytes() {
    return ownRows.bytes();
  }

  /**
   * Lets go of the places of its own rows, for another table's filter: if they held every key, its
   * next sync builds filters from the table (and keeps to them, so two tables do not take the
   * memory from each other at every flush).
   */
  void releasePlaces() {
    ownRows.release();
  }

  /**
   * Brings the index up to {@code table}'s current snapshot (the table is refreshed already). A
   * read that fails midway (the object store, a file gone) leaves part of a build or of a commit
   * followed: the index then forgets everything and is built afresh at the next sync, rather than
   * trusting keys and places that may miss some.
   */
  public void sync(Table table) {
    try {
      syncOrBuild(table);
    } catch (RuntimeException failed) {
      filters.release();
      ownRows.clear();
      ownFiles.clear();
      pendingFiles.clear();
      heldAll = false;
      syncedSnapshotId = null;
      throw failed;
    }
  }

  private void syncOrBuild(Table table) {
    Snapshot current = table.currentSnapshot();
    if (heldAll) {
      boolean followed = ownRows.holdsAll() && follow(table, current);
      if (!ownRows.holdsAll()) {
        // out of room (as it followed, at a commit, or given to another table's filter): filters
        // from now on, so that a table near the budget is not read whole at every turn
        placesHoldAll = false;
        build(table, current, true);
      } else if (!followed) {
        build(table, current, true);
      }
      return;
    }
    boolean built = filters.count() > 0;
    if (filters.needsBuild()) {
      // one filter, in what the budget leaves once the old ones are gone; the places of this
      // task's rows are kept if the commits since the last sync can be followed
      boolean followed = built && follow(table, current);
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
      // read with the table's specs (a snapshot's own readers warn once per manifest without them)
      SnapshotChanges changes = SnapshotChanges.builderFor(table).snapshot(snapshot).build();
      if (removesDataFiles(snapshot)) { // a compaction, a truncate: rows moved or gone
        List<String> removed = new ArrayList<>();
        changes.removedDataFiles().forEach(file -> removed.add(file.location()));
        ownRows.removed(removed);
      }
      if (!DataOperations.REPLACE.equals(snapshot.operation())) { // a rewrite adds no key
        for (DataFile file : changes.addedDataFiles()) {
          if (!ownFiles.remove(file.location())) {
            addKeysOf(
                table, file, true); // another writer's rows: this task's of those keys may be gone
          }
        }
      } else if (ownRows.lostAny()) { // a rewrite: the places it moved are in its new files
        LiveRowPlaces moved = new LiveRowPlaces(table, keySchema, ownRows);
        for (DataFile file : changes.addedDataFiles()) {
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

  /**
   * Whether {@code snapshot} may have removed data files (a compaction, a truncate): its summary's
   * count, or true when it has none.
   */
  public static boolean removesDataFiles(Snapshot snapshot) {
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
    ownFiles.addAll(pendingFiles);
    pendingFiles.clear();
    deletedByEquality.forEach(ownRows::forget);
    ownRows.committed(rows);
  }

  /** This task committed rows of these keys where it was not told (and its keys are in). */
  public void writtenWithoutPlaces(Iterable<? extends StructLike> keys) {
    keys.forEach(ownRows::otherRow);
  }

  /** False only when {@code key} is certainly not in the table (as of the last sync). */
  public boolean mayHold(StructLike key) {
    return ownRows.holdsAll() ? ownRows.holds(key) : filters.mayHold(key);
  }

  /**
   * {@code key} is written by this task's flush (it may be in the table from then on). Places that
   * hold every key take it when the commit says where it went.
   */
  public void add(StructLike key) {
    if (!ownRows.holdsAll()) {
      filters.add(key);
    }
  }

  /**
   * Data files of this task's flush (the last attempt's): their keys are in already, a sync need
   * not read them. Places that hold every key have them once the commit is known to have landed;
   * until then, a sync that finds them reads them as another writer's.
   */
  public void written(Iterable<DataFile> files) {
    if (ownRows.holdsAll()) {
      pendingFiles.clear(); // an earlier attempt's files never landed, or are read if they did
      files.forEach(file -> pendingFiles.add(file.location()));
    } else {
      files.forEach(file -> ownFiles.add(file.location()));
    }
  }

  /** Its Bloom filters now. */
  int filters() {
    return filters.count();
  }

  /** How many times the index was built from the whole table. */
  public int builds() {
    return builds;
  }

  private void build(Table table, Snapshot current, boolean forgetOwnRows) {
    PlannedFiles planned = PlannedFiles.of(table, current);
    List<FileScanTask> tasks = planned.tasks();
    long rows = planned.rows();
    long live = planned.liveRows();
    ownFiles.clear();
    pendingFiles.clear();
    if (forgetOwnRows && placesHoldAll && ownRows.holdAll(live)) {
      filters.release(); // the places answer for the keys
      new LiveRowPlaces(table, keySchema, ownRows).readAll(tasks);
      syncedSnapshotId = current == null ? null : current.snapshotId();
      builds++;
      heldAll = ownRows.holdsAll();
      if (!heldAll) { // out of room while reading: filters, read again
        placesHoldAll = false;
        build(table, current, true);
      }
      return;
    }
    heldAll = false;
    filters.reset(rows);
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
          if (anotherWriters) {
            ownRows.otherRow(row);
          }
          add(row);
        });
  }
}
