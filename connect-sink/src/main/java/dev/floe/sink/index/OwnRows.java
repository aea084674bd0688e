package dev.floe.sink.index;

import java.util.Collection;
import java.util.Map;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;

/**
 * Where the rows this task committed are, by key: the data file it wrote and the row's position in
 * it, known from the order it wrote them. A later flush that updates or deletes one of those keys
 * (hot keys change flush after flush) deletes the row by position without reading the table for it.
 * It holds the keys written or looked up last (a row is most often changed soon after it was
 * written: an order placed, then paid, then shipped); an older key is found by reading the table.
 * An entry goes as soon as it may be wrong: its file was removed (a compaction, a truncate), or
 * another writer's commit holds its key (a task that took the key's partition over); the key index
 * sees both when it follows the table, and forgets everything when it cannot follow.
 */
final class OwnRows {
  /** Entries kept per table: about 120 bytes each. */
  static final int MAX_ROWS = 200_000;

  private final KeyMap<KeyLocations.RowAt> byKey;

  OwnRows(Schema keySchema) {
    this(keySchema, MAX_ROWS);
  }

  OwnRows(Schema keySchema, int maxRows) {
    this.byKey = KeyMap.lastUsed(keySchema.asStruct(), maxRows);
  }

  KeyLocations.RowAt of(StructLike key) {
    return byKey.get(key);
  }

  /** This task committed these keys' rows: where each is now, or null when unknown or deleted. */
  void committed(Map<? extends StructLike, KeyLocations.RowAt> rows) {
    rows.forEach(
        (key, row) -> {
          if (row == null) {
            byKey.remove(key);
          } else {
            byKey.put(key, row); // beyond MAX_ROWS the least recently used goes
          }
        });
  }

  void forget(StructLike key) {
    if (!byKey.isEmpty()) {
      byKey.remove(key);
    }
  }

  /** Data files that a commit removed: the rows in them are elsewhere now, or gone. */
  void removed(Collection<String> locations) {
    if (!byKey.isEmpty() && !locations.isEmpty()) {
      java.util.Set<String> gone = new java.util.HashSet<>(locations);
      byKey.values().removeIf(row -> gone.contains(row.file().location()));
    }
  }

  void clear() {
    byKey.clear();
  }
}
