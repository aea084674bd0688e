package dev.floe.source.preflight;

import java.util.ArrayList;
import java.util.List;

/**
 * Every captured table tells which row an update or delete is about: a primary key, a replica
 * identity index, or REPLICA IDENTITY FULL. Without one Postgres sends no key, the sink cannot
 * apply the change, and Postgres itself refuses UPDATE and DELETE on a table in a publication that
 * publishes them.
 *
 * <p>REPLICA IDENTITY FULL alone is not a key for the sink: Debezium keys a change by the primary
 * key, else a unique index, else {@code message.key.columns}; a table with none of them arrives
 * without a key, and Floe's sink, which applies changes by key, sends every such change to the dead
 * letter topic. That is a warning, not an error: the table's inserts still arrive as change events.
 */
final class ReplicaIdentityCheck implements PreflightCheck {
  static final String MESSAGE_KEY_COLUMNS = "message.key.columns";

  @Override
  public List<Finding> check(PreflightContext context) {
    String key = PreflightKeys.tableListKey(context.config());
    String keyColumns = context.config().getString(MESSAGE_KEY_COLUMNS, "");
    List<Finding> findings = new ArrayList<>();
    // A partitioned parent holds no rows; its partitions are what Postgres replicates.
    for (CapturedTable t : context.captured()) {
      if (t.partitioned()) {
        continue;
      }
      if (!t.identifiesRows()) {
        findings.add(Finding.error(key, unidentified(t, key)));
      } else if (!t.hasPrimaryKey() && !t.hasUniqueIndex() && !keyColumns.contains(t.name())) {
        findings.add(Finding.warning(MESSAGE_KEY_COLUMNS, keyless(t)));
      }
    }
    return findings;
  }

  private static String unidentified(CapturedTable t, String key) {
    return "Table "
        + t.sqlName()
        + " has no primary key and REPLICA IDENTITY "
        + (t.replicaIdentity() == 'n' ? "NOTHING" : "DEFAULT")
        + ", so Postgres sends no key with its updates and deletes and they cannot"
        + " be applied (Postgres even refuses UPDATE and DELETE on it once it is"
        + " published). Add a primary key (ALTER TABLE "
        + t.sqlName()
        + " ADD PRIMARY KEY (...);), or run ALTER TABLE "
        + t.sqlName()
        + " REPLICA IDENTITY FULL; and name the columns that identify a row in "
        + MESSAGE_KEY_COLUMNS
        + " ("
        + t.schema()
        + "."
        + t.name()
        + ":col1,col2), or leave it out of "
        + key
        + ".";
  }

  private static String keyless(CapturedTable t) {
    return "Table "
        + t.sqlName()
        + " has REPLICA IDENTITY FULL but no primary key or unique index, so Debezium sends its"
        + " changes without a key, and Floe's sink, which applies changes by key, sends them to"
        + " the dead letter topic. Add a primary key (ALTER TABLE "
        + t.sqlName()
        + " ADD PRIMARY KEY (...);), or name the columns that identify a row in "
        + MESSAGE_KEY_COLUMNS
        + " ("
        + t.schema()
        + "."
        + t.name()
        + ":col1,col2).";
  }
}
