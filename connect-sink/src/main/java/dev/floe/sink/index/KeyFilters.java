package dev.floe.sink.index;

import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.StructLike;
import org.apache.parquet.column.values.bloomfilter.BlockSplitBloomFilter;

/**
 * Which keys one table may hold, as Bloom filters (Parquet's) and the range of the first key
 * column: a key it has never seen is certainly not in the table. Deleted keys stay in it: a key it
 * says may be there only costs a look for its row.
 *
 * <p>When its keys outgrow it, a larger filter is added beside it (a scalable Bloom filter): the
 * keys it holds are not read from the table again, which for a table loaded from empty (a first
 * snapshot of millions of rows) was a read of every key at each doubling. Each added filter is
 * twice as selective, so the false positives of all of them stay under twice the first's; after
 * {@link #MAX_FILTERS} it is built again as one, which bounds its memory.
 */
final class KeyFilters {
  static final int MAX_FILTERS = 4;
  private static final double FALSE_POSITIVES = 0.01;

  private final long minKeys;
  private final KeyBytes keyBytes;
  private final KeyIndexes budget;
  // the last one takes the keys added; a key may be in any
  private final List<BlockSplitBloomFilter> filters = new ArrayList<>();
  private final KeyRange range = new KeyRange();
  private volatile long bytes; // read by the metrics
  private long capacity; // of the last filter
  private long keys; // in the last filter
  private long allKeys;

  /**
   * @param minKeys the keys its smallest filter has room for
   */
  KeyFilters(KeyBytes keyBytes, KeyIndexes budget, long minKeys) {
    this.keyBytes = keyBytes;
    this.budget = budget;
    this.minKeys = minKeys;
  }

  long bytes() {
    return bytes;
  }

  int count() {
    return filters.size();
  }

  /**
   * Whether it must be built again from the table: it has none yet, or its last filter is full and
   * no larger one can be added (there are {@link #MAX_FILTERS}, or the budget has no room).
   */
  boolean needsBuild() {
    boolean full = keys >= capacity;
    return filters.isEmpty() || full && filters.size() == MAX_FILTERS || full && !addLarger();
  }

  /**
   * Forgets every key and starts again with one filter for a table of {@code rows} rows, in what
   * the budget leaves once the old filters are gone.
   *
   * @throws UnsupportedOperationException when the budget has no room for it
   */
  void reset(long rows) {
    budget.release(bytes);
    bytes = 0;
    filters.clear();
    range.clear();
    allKeys = 0;
    if (!add(2 * rows, FALSE_POSITIVES)) {
      throw new UnsupportedOperationException(
          "its key index would take "
              + filterBytes(2 * rows, FALSE_POSITIVES)
              + " bytes, over what iceberg.tables.key-index.max-bytes leaves");
    }
  }

  /** Gives all its filters back to the budget: it holds no key (built again by {@link #reset}). */
  void release() {
    budget.release(bytes);
    bytes = 0;
    filters.clear();
    range.clear();
    allKeys = 0;
    keys = 0;
    capacity = 0;
  }

  /** False only when {@code key} is certainly not among the keys added. */
  boolean mayHold(StructLike key) {
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

  void add(StructLike key) {
    range.widen(key);
    if (keyBytes.fill(key)) {
      if (keys >= capacity && filters.size() < MAX_FILTERS) {
        // full: the larger filter now, not at the next sync. A filter given a whole flush more
        // than it was sized for is overloaded for good: twice its keys made ~15% of new keys
        // "may hold", each then looked for in the table's files. Without room in the budget the
        // keys go on into the full one, and the next sync builds the index again.
        addLarger();
      }
      filters.get(filters.size() - 1).insertHash(keyBytes.hash());
      keys++;
      allKeys++;
    }
  }

  /**
   * The next filter: room for twice all keys, at half the previous filter's rate; false when the
   * budget has no room for it.
   */
  private boolean addLarger() {
    return add(2 * allKeys, FALSE_POSITIVES / (1L << filters.size()));
  }

  /**
   * A new filter for the keys added from now on: room for {@code expected}, at this rate; false
   * when the budget has no room for it.
   */
  private boolean add(long expected, double falsePositives) {
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
}
