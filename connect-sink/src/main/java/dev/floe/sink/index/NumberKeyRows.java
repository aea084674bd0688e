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
 * Where this task's committed rows are, for a table keyed by one whole-number column (an int, a
 * bigint, a date: most primary keys): every row the task wrote, not only the last flushes', so an
 * update of any key it wrote deletes the old row by position without reading the table. Updates
 * spread over a whole table of millions of rows read every data file's key column at each flush
 * otherwise (half the time of such a flush, growing with the table).
 *
 * <p>Kept as two arrays of longs (open addressing), the key and its row's place (data file number
 * and position), about 21 to 43 bytes a key, taken from the key index budget; when a larger table
 * would not fit in its share, everything is forgotten and it fills again from the next flush (those
 * keys are found by reading, as before). An entry goes as {@link OwnRows} says.
 */
final class NumberKeyRows implements OwnRowPlaces {
  static final int MIN_SLOTS = 1 << 14;
  private static final int POSITION_BITS = 40;
  private static final long POSITION_MASK = (1L << POSITION_BITS) - 1;
  private static final int MAX_FILES = (1 << 23) - 1;

  private final KeyIndexes budget;
  private long[] keys = new long[0];
  // 0: an empty slot; else (file number + 1) << 40 | position
  private long[] places = new long[0];
  private int shift;
  private int size;
  private volatile long bytes; // read by the metrics
  private final RowFiles files = new RowFiles(MAX_FILES);
  private long key; // the key read last by read()

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
    int slot = read(rowKey) ? find(key) : -1;
    if (slot < 0) {
      return null;
    }
    long place = places[slot];
    return new KeyLocations.RowAt(
        files.file((int) (place >>> POSITION_BITS) - 1), place & POSITION_MASK);
  }

  @Override
  public void committed(KeyMap<KeyLocations.RowAt> rows) {
    for (Map.Entry<StructLike, KeyLocations.RowAt> row : rows.entrySet()) {
      if (!read(row.getKey())) {
        continue; // a key of another type cannot be held
      }
      KeyLocations.RowAt at = row.getValue();
      if (at == null) {
        remove(key);
      } else {
        put(key, at.file(), at.position());
      }
    }
  }

  @Override
  public void forget(StructLike rowKey) {
    if (read(rowKey)) {
      remove(key);
    }
  }

  @Override
  public void removed(Collection<String> locations) {
    Set<Integer> gone = files.numbersOf(locations);
    if (gone.isEmpty()) {
      return;
    }
    long[] oldKeys = keys;
    long[] oldPlaces = places;
    keys = new long[oldKeys.length];
    places = new long[oldPlaces.length];
    size = 0;
    for (int i = 0; i < oldPlaces.length; i++) {
      if (oldPlaces[i] != 0 && !gone.contains((int) (oldPlaces[i] >>> POSITION_BITS) - 1)) {
        insert(oldKeys[i], oldPlaces[i]);
      }
    }
    files.free(gone);
  }

  @Override
  public void clear() {
    Arrays.fill(keys, 0);
    Arrays.fill(places, 0);
    size = 0;
    files.clear();
  }

  @Override
  public long bytes() {
    return bytes;
  }

  @Override
  public void release() {
    keys = new long[0];
    places = new long[0];
    size = 0;
    files.clear();
    budget.releasePlaces(bytes);
    bytes = 0;
  }

  int size() {
    return size;
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

  private int home(long k) {
    return (int) ((k * 0x9E3779B97F4A7C15L) >>> shift); // Fibonacci hashing: serial keys spread
  }

  private int find(long k) {
    if (size == 0) {
      return -1;
    }
    int mask = places.length - 1;
    for (int i = home(k); places[i] != 0; i = (i + 1) & mask) {
      if (keys[i] == k) {
        return i;
      }
    }
    return -1;
  }

  private void put(long k, DataFile file, long position) {
    int slot = find(k);
    if (slot < 0 && (size + 1) * 4L > places.length * 3L && !grow()) {
      if (places.length == 0) {
        return; // no room at all: the key is found by reading
      }
      clear(); // no room to grow: forget all, keep the slots
    }
    int number = files.numberOf(file);
    if (number < 0) { // more files than a place can tell: start again
      clear();
      slot = -1;
      number = files.numberOf(file);
    }
    files.taken(number); // before the old place's release: it may be the same file
    long place = ((long) (number + 1) << POSITION_BITS) | position;
    if (slot >= 0) {
      files.released((int) (places[slot] >>> POSITION_BITS) - 1);
      places[slot] = place;
    } else {
      insert(k, place);
    }
  }

  private void insert(long k, long place) {
    int mask = places.length - 1;
    int i = home(k);
    while (places[i] != 0) {
      i = (i + 1) & mask;
    }
    keys[i] = k;
    places[i] = place;
    size++;
  }

  /**
   * Removes {@code k} by shifting the entries after it back (linear probing keeps no tombstone).
   */
  private void remove(long k) {
    int gap = find(k);
    if (gap < 0) {
      return;
    }
    files.released((int) (places[gap] >>> POSITION_BITS) - 1);
    int mask = places.length - 1;
    for (int j = (gap + 1) & mask; places[j] != 0; j = (j + 1) & mask) {
      // the entry at j may fill the gap unless its home lies after the gap
      if (((j - home(keys[j])) & mask) >= ((j - gap) & mask)) {
        keys[gap] = keys[j];
        places[gap] = places[j];
        gap = j;
      }
    }
    places[gap] = 0;
    keys[gap] = 0;
    size--;
  }

  /** Twice the slots, if the budget has room for them; false when it has not. */
  private boolean grow() {
    int slots = Math.max(MIN_SLOTS, places.length * 2);
    long more = 16L * slots - bytes;
    if (slots <= 0 || !budget.reservePlaces(more)) {
      return false;
    }
    bytes += more;
    long[] oldKeys = keys;
    long[] oldPlaces = places;
    keys = new long[slots];
    places = new long[slots];
    shift = 64 - Integer.numberOfTrailingZeros(slots);
    size = 0;
    for (int i = 0; i < oldPlaces.length; i++) {
      if (oldPlaces[i] != 0) {
        insert(oldKeys[i], oldPlaces[i]);
      }
    }
    return true;
  }
}
