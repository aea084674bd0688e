package dev.floe.source.preflight;

import java.util.List;

/**
 * Every captured table tells which row an update or delete is about: a primary key, a replica
 * identity index, or REPLICA IDENTITY FULL. Without one Postgres sends no key, the sink cannot
 * apply the change, and Postgres itself refuses UPDATE and DELETE on a table in a publication that
 * publishes them.
 */
final class ReplicaIdentityCheck implements PreflightCheck {

  @Override
  public List<Finding> check(PreflightContext context) {
    String key = PreflightKeys.tableListKey(context.config());
    // A partitioned parent holds no rows; its partitions are what Postgres replicates.
    return context.captured().stream()
        .filter(t -> !t.partitioned() && !t.identifiesRows())
        .map(
            t ->
                Finding.error(
                    key,
                    "Table "
                        + t.sqlName()
                        + " has no primary key and REPLICA IDENTITY "
                        + (t.replicaIdentity() == 'n' ? "NOTHING" : "DEFAULT")
                        + ", so Postgres sends no key with its updates and deletes and they cannot"
                        + " be applied (Postgres even refuses UPDATE and DELETE on it once it is"
                        + " published). Add a primary key (ALTER TABLE "
                        + t.sqlName()
                        + " ADD PRIMARY KEY (...);), or run ALTER TABLE "
                        + t.sqlName()
                        + " REPLICA IDENTITY FULL;, or leave it out of "
                        + key
                        + "."))
        .toList();
  }
}
