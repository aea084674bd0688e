package dev.floe.sink.fill;

import org.apache.iceberg.data.Record;

/**
 * Where a row's unavailable values are taken from when no earlier change in the buffer holds them:
 * the row the table holds for {@code key}, as committed now; or, for the new row of a primary-key
 * change, the old key's row as it was just before the change, which the task that owns the old
 * key's partition may not have committed yet.
 *
 * @param key the key whose committed row holds the values
 * @param keyChange whether {@code key} is the old key of a primary-key change
 * @param keyChangeLsn the change's LSN, which the snapshot that deleted the old key records
 */
public record FillSource(Record key, boolean keyChange, long keyChangeLsn) {

  /** The values of {@code key}'s committed row. */
  public static FillSource committedRow(Record key) {
    return new FillSource(key, false, -1);
  }

  /** The values {@code oldKey} had when a primary-key change at {@code lsn} replaced it. */
  public static FillSource beforeKeyChange(Record oldKey, long lsn) {
    return new FillSource(oldKey, true, lsn);
  }
}
