package dev.floe.sink.event;

/**
 * Where a change sits in the Postgres WAL: its transaction's commit time and its LSN. Either may be
 * unknown (-1), for records that did not come from Debezium's Postgres connector.
 */
public record SourcePosition(long commitTimeMs, long lsn) {
  public static final SourcePosition UNKNOWN = new SourcePosition(-1, -1);

  /**
   * The later of two positions, field by field: LSNs are not monotonic across overlapping
   * transactions.
   */
  public SourcePosition max(SourcePosition other) {
    return new SourcePosition(Math.max(commitTimeMs, other.commitTimeMs), Math.max(lsn, other.lsn));
  }
}
