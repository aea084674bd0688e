package dev.floe.sink.schema;

import java.util.Locale;

/**
 * What to do with a column type change Iceberg cannot represent (e.g. text to integer, a decimal's
 * scale): never a silent coercion or drop.
 */
public enum TypeChangePolicy {
  /** The record goes to the dead letter topic with the reason (or fails the task without one). */
  DEAD_LETTER,
  /** The task fails, naming table, column and both types, until the table is fixed by hand. */
  FAIL,
  /**
   * Values of the new type go to a new column {@code <column>__<type>} (e.g. {@code code__int});
   * the old column keeps its values and reads null in rows of the new type.
   */
  NEW_COLUMN;

  public static TypeChangePolicy parse(String text) {
    return valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
  }

  public String configName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
