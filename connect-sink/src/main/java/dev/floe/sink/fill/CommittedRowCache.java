package dev.floe.sink.fill;

import dev.floe.sink.index.KeyMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types.NestedField;

/**
 * The values this task last committed (or read) for its keys, in front of another {@link
 * CommittedRows}: a row whose unchanged TOASTed value must be filled was usually written by this
 * task not long ago, and asking the table means a read of its files. Only the columns fills of a
 * table have asked for are kept (its large columns that arrive unchanged; a table whose values
 * always arrive costs nothing), in least-recently-used order within a bound in bytes. Sound because
 * only this task changes its keys: it is cleared when its partitions change, and per table when the
 * table's schema or key changes or the table is truncated. Reads at other snapshots (key changes)
 * go to the table.
 */
public final class CommittedRowCache implements CommittedRows {
  private record Key(String table, List<Object> values) {}

  private record Entry(Map<String, Object> values, long bytes) {}

  private final CommittedRows table;
  private final long maxBytes;
  private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>(1024, 0.75f, true);
  // per table, the columns fills asked for: only those are kept (a table whose large values
  // always arrive costs nothing)
  private final Map<String, Set<String>> filledColumns = new HashMap<>();
  private long bytes;
  private long hits;
  private long misses;

  /**
   * @param table what answers when the cache does not
   * @param maxBytes the most memory the kept values may take (0: keep nothing)
   */
  public CommittedRowCache(CommittedRows table, long maxBytes) {
    this.table = table;
    this.maxBytes = maxBytes;
  }

  @Override
  public synchronized Map<StructLike, Record> findCurrent(
      Table table, Schema keySchema, Collection<Record> keys, Set<String> columns) {
    filledColumns.computeIfAbsent(table.name(), name -> new java.util.HashSet<>()).addAll(columns);
    KeyMap<Record> found = KeyMap.create(keySchema.asStruct());
    List<Record> missing = new ArrayList<>();
    for (Record key : keys) {
      Entry entry = entries.get(new Key(table.name(), valuesOf(key)));
      if (entry != null && entry.values().keySet().containsAll(columns)) {
        Record row = GenericRecord.create(table.schema());
        entry.values().forEach((column, value) -> setIfPresent(row, column, value));
        found.put(key, row);
        hits++;
      } else {
        missing.add(key);
        misses++;
      }
    }
    if (!missing.isEmpty()) {
      Map<StructLike, Record> read = this.table.findCurrent(table, keySchema, missing, columns);
      found.putAll(read);
      read.forEach(
          (key, row) -> {
            if (row != DELETED) {
              keep(table.name(), (Record) key, row);
            }
          });
    }
    return found;
  }

  @Override
  public Map<StructLike, Record> find(
      Table table,
      long snapshotId,
      Schema keySchema,
      Collection<Record> keys,
      Set<String> columns) {
    return this.table.find(table, snapshotId, keySchema, keys, columns);
  }

  @Override
  public long snapshotOfKeyChange(Table table, long lsn) {
    return this.table.snapshotOfKeyChange(table, lsn);
  }

  @Override
  public synchronized void committed(Table table, Map<StructLike, Record> states) {
    if (maxBytes <= 0 || !filledColumns.containsKey(table.name())) {
      return; // no fill has asked about the table: nothing of it is kept, nothing to keep
    }
    states.forEach(
        (key, state) -> {
          if (state == null) {
            Entry gone = entries.remove(new Key(table.name(), valuesOf(key)));
            bytes -= gone == null ? 0 : gone.bytes();
          } else {
            keep(table.name(), key, state);
          }
        });
  }

  @Override
  public synchronized void forget(String table) {
    if (table == null) {
      entries.clear();
      bytes = 0;
    } else {
      entries.entrySet().removeIf(e -> e.getKey().table().equals(table) && drop(e.getValue()));
    }
  }

  /** Lookups answered here and lookups passed on, since the start: for the docs' figures. */
  public synchronized long[] hitsAndMisses() {
    return new long[] {hits, misses};
  }

  private boolean drop(Entry entry) {
    bytes -= entry.bytes();
    return true;
  }

  private void keep(String table, StructLike key, Record row) {
    Set<String> columns = filledColumns.get(table);
    if (maxBytes <= 0 || columns == null) {
      return;
    }
    Map<String, Object> values = new HashMap<>();
    long size = 96;
    for (String column : columns) {
      NestedField field = row.struct().field(column);
      if (field != null) {
        Object value = row.getField(column);
        values.put(column, value);
        size += 32 + sizeOf(value);
      }
    }
    Entry old = entries.put(new Key(table, valuesOf(key)), new Entry(values, size));
    bytes += size - (old == null ? 0 : old.bytes());
    var eldest = entries.entrySet().iterator();
    while (bytes > maxBytes && eldest.hasNext()) {
      bytes -= eldest.next().getValue().bytes();
      eldest.remove();
    }
  }

  private static void setIfPresent(Record row, String column, Object value) {
    if (row.struct().field(column) != null) {
      row.setField(column, value);
    }
  }

  /** A rough count of the heap {@code value} takes, for the bound. */
  private static long sizeOf(Object value) {
    if (value instanceof CharSequence text) {
      return 40 + 2L * text.length();
    }
    if (value instanceof java.nio.ByteBuffer buffer) {
      return 64 + buffer.remaining();
    }
    if (value instanceof Collection<?> items) {
      long size = 40;
      for (Object item : items) {
        size += 8 + sizeOf(item);
      }
      return size;
    }
    if (value instanceof Map<?, ?> map) {
      long size = 48;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        size += 32 + sizeOf(e.getKey()) + sizeOf(e.getValue());
      }
      return size;
    }
    if (value instanceof StructLike struct) {
      long size = 40;
      for (int i = 0; i < struct.size(); i++) {
        size += 8 + sizeOf(struct.get(i, Object.class));
      }
      return size;
    }
    return value == null ? 0 : 24;
  }

  private static List<Object> valuesOf(StructLike key) {
    List<Object> values = new ArrayList<>(key.size());
    for (int i = 0; i < key.size(); i++) {
      values.add(key.get(i, Object.class));
    }
    return values;
  }
}
