package dev.floe.sink.index;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.types.Type;

/**
 * Where the table's live rows are, for a table keyed by one whole-number column (an int, a bigint,
 * a date: most primary keys): every row the task wrote, not only the last flushes', and the rows
 * the table held when the key index was built or a compaction moved ({@link LiveRowPlaces}), so an
 * update of any key deletes the old row by position without reading the table. Updates spread over
 * a whole table of millions of rows read every data file's key column at each flush otherwise (half
 * the time of such a flush, growing with the table).
 *
 * <p>Kept in one array of longs (open addressing, linear probing), each key beside its row's place
 * (data file number and position) so that a look costs one cache miss, not two: about 21 to 43
 * bytes a key, taken from the key index budget; when a larger table would not fit in its share,
 * everything is forgotten and it fills again from the next flush (those keys are found by reading,
 * as before). An entry goes as {@link OwnRows} says.
 *
 * <p>Built from the whole table with room for all its rows ({@link #holdAll}), it holds every live
 * key of the table, with its place or, where the place is not known (a key live twice, another
 * writer's row, a rewrite it could not follow), as {@link #UNPLACED}: a key it does not hold is
 * then certainly not in the table, and the key index needs no Bloom filter. It stops holding all
 * (and the key index builds its filters) when it has no room left.
 */
final class NumberKeyRows implements OwnRowPlaces {
  static final int MIN_SLOTS = 1 << 14;
  private static final int POSITION_BITS = 40;
  private static final long POSITION_MASK = (1L << POSITION_BITS) - 1;
  private static final int MAX_FILES = (1 << 23) - 1;
  // a live key whose row's place is not known: read for (no real place has all its bits set)
  private static final long UNPLACED = -1L;

  private final KeyIndexes budget;
  // pairs: the key at 2i, its place at 2i + 1 (0: an empty slot; else (file number + 1) << 40 |
  // position)
  private long[] table = new long[0];
  private int slots;
  private int shift;
  private int size;
  private volatile long bytes; // read by the metrics
  private final RowFiles files = new RowFiles(MAX_FILES);
  private long key; // the key read last by read()
  private boolean holdsAll; // every live key of the table is here, placed or not
  // the keys whose places the last removal of files let go, in order (a rewrite moved them)
  private static final long[] NO_KEYS = new long[0];
  private long[] lostKeys = NO_KEYS;
  // rows a read of the table found, put in slot order a chunk at a time (see putFound)
  static final int FOUND_CHUNK = 1 << 19;
  private static final int REGION_BITS = 10;
  private long[] foundKeys = NO_KEYS;
  private long[] foundPlaces = NO_KEYS;
  private int foundCount;
  private boolean fillFull; // no room for more places in this read

  NumberKeyRows(KeyIndexes budget) {
    this.budget = budget;
  }

  /** A key of one int, bigint or date column. */
  static boolean supports(Schema keySchema) {
    if (keySchema.columns().size() != 1) {
      return false;
    }
    Type.TypeID type = keySchema.columns().get(0).type().typeId();
    return type == Type.TypeID.INTEGER || type == Type.TypeID.LONG || type == Type.TypeID.DATE;
  }

  @Override
  public KeyLocations.RowAt of(StructLike rowKey) {
    int slot = read(rowKey) ? slotOf(key) : -1;
    long place = slot < 0 ? 0 : table[2 * slot + 1];
    if (place == 0 || place == UNPLACED) {
      return null;
    }
    return new KeyLocations.RowAt(fileOf(place), place & POSITION_MASK);
  }

  @Override
  public boolean holdsAll() {
    return holdsAll;
  }

  @Override
  public boolean holds(StructLike rowKey) {
    if (!read(rowKey)) {
      return true;
    }
    int slot = slotOf(key);
    return slot >= 0 && table[2 * slot + 1] != 0;
  }

  @Override
  public boolean holdAll(long rows) {
    clear();
    expect(rows);
    holdsAll = (rows + 1) * 4L <= slots * 3L;
    return holdsAll;
  }

  @Override
  public void committed(KeyMap<KeyLocations.RowAt> rows) {
    for (Map.Entry<StructLike, KeyLocations.RowAt> row : rows.entrySet()) {
      if (!read(row.getKey())) {
        continue; // a key of another type cannot be held
      }
      KeyLocations.RowAt at = row.getValue();
      if (at == null) {
        remove(key); // deleted: its rows are gone
      } else if (at.file() == null) {
        otherRow(key); // written, where not told
      } else {
        put(key, at.file(), at.position());
      }
    }
  }

  @Override
  public boolean fillsFromTable() {
    return true;
  }

  @Override
  public void expect(long rows) {
    while ((rows + 1) * 4L > slots * 3L && grow()) {
      // each doubling of an empty table only allocates
    }
  }

  @Override
  public void found(StructLike rowKey, DataFile file, long position) {
    if (!read(rowKey) || fillFull && size == 0) {
      return; // nothing placed that a second live row could make wrong
    }
    long place = UNPLACED;
    if (file != null) {
      int number = fillFull ? -1 : files.numberOf(file);
      if (number < 0) {
        fillFull(); // more files than a place can tell: only second rows are looked for
      }
      place = number < 0 ? 0 : ((long) (number + 1) << POSITION_BITS) | position;
    }
    if (foundCount == foundKeys.length) {
      foundKeys = Arrays.copyOf(foundKeys, Math.max(1024, 2 * foundCount));
      foundPlaces = Arrays.copyOf(foundPlaces, foundKeys.length);
    }
    foundKeys[foundCount] = key;
    foundPlaces[foundCount++] = place;
    if (foundCount == FOUND_CHUNK) {
      putFound();
    }
  }

  @Override
  public void filled() {
    putFound();
    if (holdsAll) {
      // a lost place not found in the rewrite's new files (a removal that was no rewrite, or a
      // rewrite that moved it twice): the key may still be live, where is not known
      for (long k : lostKeys) {
        int slot = slotOf(k);
        if (slot < 0 || table[2 * slot + 1] == 0) {
          markUnplaced(k);
        }
      }
    }
    foundKeys = NO_KEYS;
    foundPlaces = NO_KEYS;
    fillFull = false;
    lostKeys = NO_KEYS;
  }

  /** No room for the places of this read: the rest stay unknown, and it does not hold all keys. */
  private void fillFull() {
    fillFull = true;
    holdsAll = false;
  }

  /**
   * Puts the rows found since the last call region by region of the table, so that each region is
   * visited once and stays in the cache while it is, rather than a random slot hit per row (a
   * restarted task's build places every live row: millions). A key found again where it has a place
   * is a second live row: neither is its place.
   */
  private void putFound() {
    for (int i : byRegion(foundKeys, foundCount)) {
      placeFound(foundKeys[i], foundPlaces[i]);
    }
    foundCount = 0;
  }

  /**
   * The indexes of the first {@code count} keys, grouped by the region of the table their home slot
   * is in (a counting sort on the slot's top bits: two passes, where a sort by slot took a third of
   * a build). A region is 1/1024 of the table: 128 KB of a table of 8 million slots.
   */
  private int[] byRegion(long[] keys, int count) {
    int[] order = new int[count];
    int slotBits = 64 - shift;
    if (slots == 0 || slotBits <= REGION_BITS) {
      Arrays.setAll(order, i -> i);
      return order;
    }
    int regionShift = slotBits - REGION_BITS;
    int[] regions = new int[count];
    int[] next = new int[(1 << REGION_BITS) + 1];
    for (int i = 0; i < count; i++) {
      regions[i] = home(keys[i]) >>> regionShift;
      next[regions[i] + 1]++;
    }
    for (int r = 1; r < next.length; r++) {
      next[r] += next[r - 1]; // where region r - 1's indexes begin
    }
    for (int i = 0; i < count; i++) {
      order[next[regions[i]]++] = i;
    }
    return order;
  }

  private void placeFound(long k, long place) {
    int slot = slotOf(k);
    if (slot >= 0 && table[2 * slot + 1] != 0) {
      unplace(slot); // found again: neither row is the key's only one
      return;
    }
    if (fillFull || place == 0) {
      return;
    }
    if ((size + 1) * 4L > slots * 3L) {
      if (!grow()) {
        fillFull(); // no room: putting would forget what was found, and the keys found once
        return;
      }
      slot = slotOf(k);
    }
    if (place != UNPLACED) {
      files.taken(numberOf(place));
    }
    table[2 * slot] = k;
    table[2 * slot + 1] = place;
    size++;
  }

  /** The key's row at {@code slot} (held) is live, where is not known. */
  private void unplace(int slot) {
    long old = table[2 * slot + 1];
    if (old != UNPLACED) {
      files.released(numberOf(old));
      table[2 * slot + 1] = UNPLACED;
    }
  }

  @Override
  public void forget(StructLike rowKey) {
    if (read(rowKey)) {
      remove(key);
    }
  }

  @Override
  public void otherRow(StructLike rowKey) {
    if (read(rowKey)) {
      otherRow(key);
    }
  }

  /** A live row of {@code k} whose place is not known. */
  private void otherRow(long k) {
    if (holdsAll) {
      markUnplaced(k);
    } else {
      remove(k); // only a place is worth a slot
    }
  }

  /** Holds {@code k} without a place; when there is no room, it stops holding all keys. */
  private void markUnplaced(long k) {
    int slot = slotOf(k);
    if (slot >= 0 && table[2 * slot + 1] != 0) {
      unplace(slot);
    } else if ((size + 1) * 4L <= slots * 3L || grow()) {
      insert(k, UNPLACED);
    } else {
      holdsAll = false;
    }
  }

  @Override
  public void removed(Collection<String> locations) {
    lostKeys = NO_KEYS;
    dropFound();
    Set<Integer> gone = files.numbersOf(locations);
    if (gone.isEmpty()) {
      return;
    }
    long[] old = table;
    table = new long[old.length];
    size = 0;
    long[] lost = new long[16];
    int lostCount = 0;
    for (int i = 0; i < old.length; i += 2) {
      if (old[i + 1] == 0) {
        continue;
      }
      if (old[i + 1] == UNPLACED || !gone.contains(numberOf(old[i + 1]))) {
        insert(old[i], old[i + 1]);
      } else {
        if (lostCount == lost.length) {
          lost = Arrays.copyOf(lost, 2 * lostCount);
        }
        lost[lostCount++] = old[i];
      }
    }
    files.free(gone);
    lostKeys = Arrays.copyOf(lost, lostCount);
    Arrays.sort(lostKeys);
  }

  @Override
  public boolean lostPlace(StructLike rowKey) {
    return lostKeys.length > 0 && read(rowKey) && Arrays.binarySearch(lostKeys, key) >= 0;
  }

  @Override
  public boolean lostAny() {
    return lostKeys.length > 0;
  }

  @Override
  public void clear() {
    Arrays.fill(table, 0);
    size = 0;
    files.clear();
    dropFound();
    holdsAll = false;
  }

  /** Forgets what a read that did not finish (it failed) found: the next read starts afresh. */
  private void dropFound() {
    foundCount = 0;
    fillFull = false;
  }

  @Override
  public long bytes() {
    return bytes;
  }

  @Override
  public void release() {
    holdsAll = false;
    table = new long[0];
    slots = 0;
    size = 0;
    files.clear();
    budget.releasePlaces(bytes);
    bytes = 0;
  }

  int size() {
    return size;
  }

  /** The number of a key of {@link #supports supported} type (a null key: the least long). */
  static long numberOf(StructLike rowKey) {
    Object value = rowKey.get(0, Object.class);
    if (value instanceof LocalDate date) {
      return date.toEpochDay();
    }
    return value == null ? Long.MIN_VALUE : ((Number) value).longValue();
  }

  /** Reads {@code rowKey}'s number into {@link #key}; false when it is not a whole number. */
  private boolean read(StructLike rowKey) {
    Object value = rowKey.get(0, Object.class);
    if (value instanceof Integer || value instanceof Long) {
      key = ((Number) value).longValue();
      return true;
    }
    if (value instanceof LocalDate date) {
      key = date.toEpochDay();
      return true;
    }
    return false;
  }

  private static int numberOf(long place) {
    return (int) (place >>> POSITION_BITS) - 1;
  }

  private DataFile fileOf(long place) {
    return files.file(numberOf(place));
  }

  private int home(long k) {
    return (int) ((k * 0x9E3779B97F4A7C15L) >>> shift); // Fibonacci hashing: serial keys spread
  }

  /** The slot holding {@code k}, or the empty slot where it would go; -1 without slots. */
  private int slotOf(long k) {
    if (slots == 0) {
      return -1;
    }
    int mask = slots - 1;
    int i = home(k);
    while (table[2 * i + 1] != 0 && table[2 * i] != k) {
      i = (i + 1) & mask;
    }
    return i;
  }

  private void put(long k, DataFile file, long position) {
    if ((size + 1) * 4L > slots * 3L && !grow()) {
      if (slots == 0) {
        return; // no room at all: the key is found by reading
      }
      if (table[2 * slotOf(k) + 1] == 0) {
        clear(); // a new key and no room to grow: forget all, keep the slots
      }
    }
    int number = files.numberOf(file);
    if (number < 0) { // more files than a place can tell: start again
      clear();
      number = files.numberOf(file);
    }
    files.taken(number); // before the old place's release: it may be the same file
    int slot = slotOf(k);
    long old = table[2 * slot + 1];
    if (old != 0 && old != UNPLACED) {
      files.released(numberOf(old));
    } else if (old == 0) {
      table[2 * slot] = k;
      size++;
    }
    table[2 * slot + 1] = ((long) (number + 1) << POSITION_BITS) | position;
  }

  /** Adds {@code k}, which is not held, in a table with room for it. */
  private void insert(long k, long place) {
    int slot = slotOf(k);
    table[2 * slot] = k;
    table[2 * slot + 1] = place;
    size++;
  }

  /**
   * Removes {@code k} by shifting the entries after it back (linear probing keeps no tombstone).
   */
  private void remove(long k) {
    int gap = slotOf(k);
    if (gap < 0 || table[2 * gap + 1] == 0) {
      return;
    }
    if (table[2 * gap + 1] != UNPLACED) {
      files.released(numberOf(table[2 * gap + 1]));
    }
    int mask = slots - 1;
    for (int j = (gap + 1) & mask; table[2 * j + 1] != 0; j = (j + 1) & mask) {
      // the entry at j may fill the gap unless its home lies after the gap
      if (((j - home(table[2 * j])) & mask) >= ((j - gap) & mask)) {
        table[2 * gap] = table[2 * j];
        table[2 * gap + 1] = table[2 * j + 1];
        gap = j;
      }
    }
    table[2 * gap] = 0;
    table[2 * gap + 1] = 0;
    size--;
  }

  /** Twice the slots, if the budget has room for them; false when it has not. */
  private boolean grow() {
    int more = Math.max(MIN_SLOTS, 2 * slots);
    if (more > 1 << 29 || !budget.reservePlaces(16L * more - bytes)) {
      return false;
    }
    bytes = 16L * more;
    long[] old = table;
    table = new long[2 * more];
    slots = more;
    shift = 64 - Integer.numberOfTrailingZeros(more);
    size = 0;
    for (int i = 0; i < old.length; i += 2) {
      if (old[i + 1] != 0) {
        insert(old[i], old[i + 1]);
      }
    }
    return true;
  }
}
