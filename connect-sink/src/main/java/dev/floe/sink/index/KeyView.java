package dev.floe.sink.index;

import org.apache.iceberg.StructLike;
import org.apache.iceberg.data.Record;

/**
 * The first fields of a row read with its key columns first: its key, without copying it. Matching
 * or hashing every row's key of a data file through one view spares a record per row.
 */
final class KeyView implements StructLike {
  private final int size;
  private Record row;

  KeyView(int size) {
    this.size = size;
  }

  void of(Record current) {
    this.row = current;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public <T> T get(int pos, Class<T> javaClass) {
    return row.get(pos, javaClass);
  }

  @Override
  public <T> void set(int pos, T value) {
    throw new UnsupportedOperationException("a key view is read-only");
  }
}
