package dev.floe.bench;

/**
 * The shape of a CDC workload: what share of the changes update or delete an existing key; the rest
 * insert new keys. Public because JMH's generated code sets it as a benchmark parameter.
 */
public enum ChangeMix {
  INSERTS(0, 0),
  UPDATES(50, 0),
  DELETES(30, 20);

  final int updatePercent;
  final int deletePercent;

  ChangeMix(int updatePercent, int deletePercent) {
    this.updatePercent = updatePercent;
    this.deletePercent = deletePercent;
  }
}
