package dev.floe.bench;

/**
 * The shape of a CDC workload: what share of the changes update or delete an existing key (the rest
 * insert new keys), and what share of the updates carry a placeholder for an unchanged TOAST value.
 * Public because JMH's generated code sets it as a benchmark parameter.
 */
public enum ChangeMix {
  INSERTS(0, 0, 0),
  UPDATES(50, 0, 0),
  DELETES(30, 20, 0),
  /**
   * As {@link #UPDATES}, but 30% of the updates leave a large text unchanged under the default
   * replica identity: it arrives as Debezium's placeholder and is filled from the key's last state.
   */
  UPDATES_UNCHANGED_TOAST(50, 0, 30),
  /**
   * As {@link #UPDATES}, but each update picks among the 100,000 keys inserted last: a row changed
   * soon after it was written (an order placed, then paid, then shipped), while the table grows.
   */
  UPDATES_RECENT(50, 0, 0, 100_000, false),
  /**
   * As {@link #UPDATES_RECENT}, with keys in no order (as UUIDs are): each new key is spread over
   * the whole int range, so a flush's keys span every file's key range and bounds prune nothing.
   */
  UPDATES_RECENT_UNORDERED(50, 0, 0, 100_000, true),
  /** As {@link #UPDATES}, with keys in no order ({@link #UPDATES_RECENT_UNORDERED}). */
  UPDATES_UNORDERED(50, 0, 0, 0, true);

  final int updatePercent;
  final int deletePercent;
  final int unchangedToastPercent;

  /** Updates pick among this many keys inserted last; 0: among all live keys. */
  final int recentKeys;

  /** New keys spread over the int range rather than counting up. */
  final boolean unordered;

  ChangeMix(int updatePercent, int deletePercent, int unchangedToastPercent) {
    this(updatePercent, deletePercent, unchangedToastPercent, 0, false);
  }

  ChangeMix(
      int updatePercent,
      int deletePercent,
      int unchangedToastPercent,
      int recentKeys,
      boolean unordered) {
    this.updatePercent = updatePercent;
    this.deletePercent = deletePercent;
    this.unchangedToastPercent = unchangedToastPercent;
    this.recentKeys = recentKeys;
    this.unordered = unordered;
  }
}
