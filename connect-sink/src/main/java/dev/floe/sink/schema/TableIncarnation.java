package dev.floe.sink.schema;

/**
 * Which Postgres table a change comes from, against the one whose column numbers the Iceberg table
 * keeps ({@link ColumnNumbering}): the same, one created since under its name (the old one was
 * dropped, and its rows with it), or one dropped since (a late change, from another partition).
 */
public enum TableIncarnation {
  SAME,
  CREATED_AGAIN,
  DROPPED_SINCE
}
