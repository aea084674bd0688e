package dev.floe.sink.index;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.Iterator;
import org.apache.iceberg.StructLike;

/**
 * Where the rows this task committed are, by key: the data file it wrote and the row's position in
 * it, known from the order it wrote them. A later flush that updates or deletes one of those keys
 * (hot keys change flush after flush) deletes the row by position without reading the table for it.
 * It holds the keys of the flushes committed last, up to {@link #MAX_ROWS} (a row is most often
 * changed soon after it was written: an order placed, then paid, then shipped); an older key is
 * found by reading the table. An entry goes as soon as it may be wrong: its file was removed (a
 * compaction, a truncate), or another writer's commit holds its key (a task that took the key's
 * partition over); the key index sees both when it follows the table, and forgets everything when
 * it cannot follow.
 *
 * <p>Kept as one map per flush, newest first, each the flush's own map of its keys with the rows'
 * places put in ({@link KeyMap#replaceValues}): a flush's 100,000 keys are not hashed again, and
 * the oldest flush's keys go first. A key's newest flush answers for it, an unknown place (null)
 * included, so an older flush's place of the key is never read.
 */
final class OwnRows implements OwnRowPlaces {
  /** Entries kept per table: about 120 bytes each. */
  static final int MAX_ROWS = 200_000;

  // a key in a flush with no known place: unknown, whatever an older flush says
  private static final KeyLocations.RowAt NONE = new KeyLocations.RowAt(null, -1);

  private final int maxRows;
  private final Deque<KeyMap<KeyLocations.RowAt>> flushes = new ArrayDeque<>();
  private int size;

  OwnRows() {
    this(MAX_ROWS);
  }

  OwnRows(int maxRows) {
    this.maxRows = maxRows;
  }

  @Override
  public KeyLocations.RowAt of(StructLike key) {
    for (KeyMap<KeyLocations.RowAt> flush : flushes) {
      KeyLocations.RowAt row = flush.getOrDefault(key, NONE);
      if (row != NONE) {
        return row == KeyLocations.RowAt.UNPLACED ? null : row;
      }
    }
    return null;
  }

  /**
   * This task committed a flush of these keys: where each row is now, null when the key was
   * deleted, {@link KeyLocations.RowAt#UNPLACED} when not known. The map is kept as it is: the
   * caller lets go of it.
   */
  @Override
  public void committed(KeyMap<KeyLocations.RowAt> rows) {
    if (rows.isEmpty()) {
      return;
    }
    flushes.addFirst(rows);
    size += rows.size();
    while (size > maxRows) {
      KeyMap<KeyLocations.RowAt> oldest = flushes.getLast();
      if (size - oldest.size() >= maxRows) {
        size -= flushes.removeLast().size();
      } else { // part of it: its keys are all as old, any of them go
        Iterator<?> entries = oldest.entrySet().iterator();
        while (size > maxRows) {
          entries.next();
          entries.remove();
          size--;
        }
      }
    }
  }

  /** Entries held, including those a newer flush answers for. */
  int size() {
    return size;
  }

  @Override
  public void forget(StructLike key) {
    for (KeyMap<KeyLocations.RowAt> flush : flushes) {
      int before = flush.size();
      flush.remove(key);
      size -= before - flush.size();
    }
  }

  /**
   * Data files that a commit removed: the rows in them are elsewhere now, or gone. Their places
   * become unknown rather than go, so that an older flush's place of the key is not read again.
   */
  @Override
  public void removed(Collection<String> locations) {
    if (size > 0 && !locations.isEmpty()) {
      java.util.Set<String> gone = new java.util.HashSet<>(locations);
      for (KeyMap<KeyLocations.RowAt> flush : flushes) {
        flush.replaceAll(
            (key, row) ->
                row != null && row.file() != null && gone.contains(row.file().location())
                    ? null
                    : row);
      }
    }
  }

  @Override
  public void clear() {
    flushes.clear();
    size = 0;
  }
}
