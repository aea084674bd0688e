package dev.floe.sink.index;

import org.apache.iceberg.StructLike;

/**
 * The smallest and largest value of a table's first key column among the keys of its index: a key
 * outside them is certainly not in the table, whatever the Bloom filter says. Most Postgres keys
 * are serial, so a flush's new keys lie above every key the table holds, and each of the Bloom
 * filter's false positives (~1% of new keys) would otherwise be looked for in the table's files,
 * which means planning a scan over every manifest of a growing table at each flush. Whole numbers
 * and text only; a key of another type is never excluded.
 */
final class KeyRange {
  private Comparable<Object> lowest;
  private Comparable<Object> highest;
  private boolean unbounded; // a key of a type not compared here was added

  /** {@code key} is in the table (its index) from now on. */
  void widen(StructLike key) {
    Comparable<Object> value = valueOf(key);
    if (value == null) {
      unbounded = true;
    } else if (lowest == null) {
      lowest = value;
      highest = value;
    } else if (lowest.compareTo(value) > 0) {
      lowest = value;
    } else if (highest.compareTo(value) < 0) {
      highest = value;
    }
  }

  /** True only when {@code key} is certainly not among the keys added. */
  boolean excludes(StructLike key) {
    if (unbounded) {
      return false;
    }
    Comparable<Object> value = valueOf(key);
    if (value == null) {
      return false;
    }
    return lowest == null || lowest.compareTo(value) > 0 || highest.compareTo(value) < 0;
  }

  void clear() {
    lowest = null;
    highest = null;
    unbounded = false;
  }

  /** The first key column's value when it is of a type compared here, else null. */
  @SuppressWarnings("unchecked")
  private static Comparable<Object> valueOf(StructLike key) {
    Object value = key.get(0, Object.class);
    if (value instanceof Long || value instanceof Integer) {
      return (Comparable<Object>) value;
    }
    if (value instanceof CharSequence text) {
      return (Comparable<Object>) (Object) text.toString();
    }
    return null;
  }
}
