package dev.floe.sink.write;

import java.util.Locale;

/**
 * How changes become rows: the current state per key, with or without deleted rows, or every
 * change.
 */
public enum WriteMode {
  /** One row per key with its current state; a delete removes the row. */
  UPSERT,
  /**
   * One row per key; a delete keeps the row, marked {@code _floe_deleted} with its source position.
   */
  SOFT_DELETE,
  /**
   * Every change is a row of its own (its operation, position and row state): the table's history.
   */
  CHANGELOG;

  public static WriteMode parse(String text) {
    return valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
  }

  public String configName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
