package dev.floe.sink.index;

import java.util.Collection;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;

/**
 * Where this task's committed rows are, by key, as the key index keeps them (see {@link OwnRows}
 * for what makes an entry go). Two forms: {@link NumberKeyRows} for a key of one whole-number
 * column, compact enough to hold every row the task wrote; {@link OwnRows} for any other key, the
 * flushes committed last.
 */
interface OwnRowPlaces {
  /** The form for keys of {@code keySchema}. */
  static OwnRowPlaces forKey(Schema keySchema, KeyIndexes budget) {
    return NumberKeyRows.supports(keySchema) ? new NumberKeyRows(budget) : new OwnRows();
  }

  /** Where the row of {@code key} is; null when not known. */
  KeyLocations.RowAt of(StructLike key);

  /** A committed flush: where each key's row is now, null when unknown or deleted. */
  void committed(KeyMap<KeyLocations.RowAt> rows);

  /** The row of {@code key} may be gone or elsewhere. */
  void forget(StructLike key);

  /**
   * A live row of {@code key} whose place it is not told (another writer's, or one written where it
   * cannot tell): the key's place, if it had one, is not its only row any more.
   */
  default void otherRow(StructLike key) {
    forget(key);
  }

  /**
   * Whether it holds every live key of the table (as of the key index's last sync), with a place or
   * without: a key it does not hold is then certainly not in the table.
   */
  default boolean holdsAll() {
    return false;
  }

  /** Whether it holds {@code key}, placed or not (meaningful while it {@link #holdsAll}). */
  default boolean holds(StructLike key) {
    return true;
  }

  /**
   * Forgets all, for a read of the whole table of about {@code rows} live rows after which it is to
   * hold every live key; false when it has no room for them (it holds nothing then).
   */
  default boolean holdAll(long rows) {
    clear();
    return false;
  }

  /** Data files a commit removed: their rows are elsewhere now, or gone. */
  void removed(Collection<String> locations);

  /** Nothing is known any more. */
  void clear();

  /**
   * Whether it holds the places of the table's live rows as a read of the whole table finds them
   * ({@link LiveRowPlaces}), not only those of the rows this task writes.
   */
  default boolean fillsFromTable() {
    return false;
  }

  /** A read of the whole table of about {@code rows} rows begins: room for them now, if it can. */
  default void expect(long rows) {}

  /**
   * A read of the whole table (or of a rewrite's new files) found a live row of {@code key} there
   * ({@code file} null: a live row, where is not told). Held until {@link #filled}; a key found
   * twice gets no place, and when there is no room for more the keys not placed yet stay unknown.
   */
  default void found(StructLike key, org.apache.iceberg.DataFile file, long position) {}

  /** The read of the whole table, or of a rewrite's new files, is over. */
  default void filled() {}

  /**
   * Whether the last {@link #removed} let go of {@code key}'s place: a rewrite's new files have its
   * row now ({@link #fillsFromTable} only).
   */
  default boolean lostPlace(StructLike key) {
    return false;
  }

  /** Whether the last {@link #removed} let go of any place. */
  default boolean lostAny() {
    return false;
  }

  /** The memory taken from the key index budget (read by the metrics). */
  default long bytes() {
    return 0;
  }

  /** Gives its memory back to the budget, knowing nothing from then on. */
  default void release() {
    clear();
  }
}
