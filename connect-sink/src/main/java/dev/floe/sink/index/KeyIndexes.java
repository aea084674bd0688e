package dev.floe.sink.index;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.types.Types;

/**
 * The key indexes of the tables one task writes, kept across its writers of a table (a writer is
 * opened again after a schema change; the keys are the same) and built again when the table's key
 * changes.
 */
public final class KeyIndexes {
  /** No index: every written key gets an equality delete, as without one. */
  public static final KeyIndexes NONE = new KeyIndexes(false, 0, false);

  /** The memory all of a task's indexes may take by default. */
  public static final long DEFAULT_MAX_BYTES = 256L << 20;

  private final boolean enabled;
  private final long maxBytes;
  private final boolean locatesRows;
  private long usedBytes;
  private long placeBytes; // of usedBytes: the places of rows
  private final Map<String, KeyIndex> byTable = new HashMap<>();
  private final Map<String, List<Integer>> keyOf = new HashMap<>();

  public KeyIndexes(boolean enabled) {
    this(enabled, DEFAULT_MAX_BYTES);
  }

  /**
   * @param maxBytes the memory all these indexes may take together: a table whose index would not
   *     fit has none (its written keys get equality deletes, as without an index)
   */
  public KeyIndexes(boolean enabled, long maxBytes) {
    this(enabled, maxBytes, true);
  }

  /**
   * @param locatesRows whether a flush finds the earlier rows of the keys it writes and deletes
   *     them by position; else by equality, leaving readers the join (until compaction)
   */
  public KeyIndexes(boolean enabled, long maxBytes, boolean locatesRows) {
    this.enabled = enabled;
    this.maxBytes = maxBytes;
    this.locatesRows = locatesRows;
  }

  /** Whether earlier rows are deleted by position (found in the table) rather than by equality. */
  public boolean locatesRows() {
    return locatesRows;
  }

  /** The index of {@code table} keyed by {@code keySchema}; null when it cannot have one. */
  public synchronized KeyIndex of(Table table, Schema keySchema) {
    if (!enabled || !KeyBytes.supports(keySchema)) {
      return null;
    }
    List<Integer> ids = keySchema.columns().stream().map(Types.NestedField::fieldId).toList();
    if (!ids.equals(keyOf.get(table.name()))) {
      keyOf.put(table.name(), ids);
      KeyIndex old = byTable.put(table.name(), new KeyIndex(keySchema, this));
      if (old != null) {
        old.releasePlaces();
        release(old.bytes());
      }
    }
    return byTable.get(table.name());
  }

  /**
   * The memory {@code table}'s index takes now (0 without one): a metric. {@code table} is the
   * Iceberg name, with or without its catalog.
   */
  public synchronized long bytesOf(String table) {
    KeyIndex index = named(table);
    return index == null ? 0 : index.bytes();
  }

  /** How many times {@code table}'s index was built from the whole table: a metric. */
  public synchronized long buildsOf(String table) {
    KeyIndex index = named(table);
    return index == null ? 0 : index.builds();
  }

  private KeyIndex named(String table) {
    KeyIndex exact = byTable.get(table);
    if (exact != null) {
      return exact;
    }
    for (Map.Entry<String, KeyIndex> entry : byTable.entrySet()) {
      if (entry.getKey().endsWith("." + table)) {
        return entry.getValue();
      }
    }
    return null;
  }

  /** {@code table} cannot be indexed (a data file another writer made that it cannot read). */
  public synchronized void drop(Table table) {
    KeyIndex dropped = byTable.remove(table.name());
    if (dropped != null) {
      dropped.releasePlaces();
      release(dropped.bytes());
    }
  }

  /**
   * Takes {@code bytes} of the budget for an index's filter; false when they do not fit. The places
   * of rows give way to filters: a table without a filter gets an equality delete for every key,
   * one without places only reads for its rows.
   */
  synchronized boolean reserve(long bytes) {
    if (usedBytes + bytes > maxBytes
        && usedBytes - byTable.values().stream().mapToLong(KeyIndex::placeBytes).sum() + bytes
            <= maxBytes) {
      byTable.values().forEach(KeyIndex::releasePlaces);
    }
    if (usedBytes + bytes > maxBytes) {
      return false;
    }
    usedBytes += bytes;
    return true;
  }

  synchronized void release(long bytes) {
    usedBytes -= bytes;
  }

  /**
   * Takes {@code bytes} of the budget for the places of a table's own rows ({@link NumberKeyRows}),
   * which all tables together may take half of; false when they do not fit.
   */
  synchronized boolean reservePlaces(long bytes) {
    if (placeBytes + bytes > maxBytes / 2 || usedBytes + bytes > maxBytes) {
      return false;
    }
    placeBytes += bytes;
    usedBytes += bytes;
    return true;
  }

  synchronized void releasePlaces(long bytes) {
    placeBytes -= bytes;
    usedBytes -= bytes;
  }
}
