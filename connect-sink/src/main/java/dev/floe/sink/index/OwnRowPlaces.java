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
   * A read of the whole table (or of a rewrite's new files) found a live row of {@code key} there.
   * Held until {@link #filled}; a key found twice gets no place, and when there is no room for more
   * the keys not placed yet stay unknown.
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
