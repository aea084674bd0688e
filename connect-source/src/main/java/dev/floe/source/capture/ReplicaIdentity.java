package dev.floe.source.capture;

import io.debezium.relational.TableId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * What a table logs to identify the row an UPDATE or DELETE changes. A table in a publication that
 * publishes updates and deletes must log something: without a primary key, a replica identity index
 * or {@code REPLICA IDENTITY FULL}, Postgres refuses every UPDATE and DELETE on it once it is
 * published, failing the application's statements.
 */
record ReplicaIdentity(
    char mode, boolean hasPrimaryKey, boolean hasIdentityIndex, boolean partitioned) {
  /** The columns {@link #read} reads, of a table {@code c} in a query. */
  static final String COLUMNS =
      "c.relreplident, c.relkind = 'p',"
          + " exists (select 1 from pg_index i where i.indrelid = c.oid and i.indisprimary),"
          + " exists (select 1 from pg_index i where i.indrelid = c.oid and i.indisreplident)";

  private static final String QUERY =
      "select "
          + COLUMNS
          + " from pg_class c join pg_namespace n on n.oid = c.relnamespace"
          + " where n.nspname = ? and c.relname = ?";

  static ReplicaIdentity of(Connection jdbc, TableId table) throws SQLException {
    try (PreparedStatement query = jdbc.prepareStatement(QUERY)) {
      query.setString(1, table.schema());
      query.setString(2, table.table());
      try (ResultSet rs = query.executeQuery()) {
        if (!rs.next()) {
          return new ReplicaIdentity('n', false, false, false); // dropped meanwhile
        }
        return read(rs, 1);
      }
    }
  }

  /** The identity of the row at {@code rs}, whose {@link #COLUMNS} start at {@code first}. */
  static ReplicaIdentity read(ResultSet rs, int first) throws SQLException {
    return new ReplicaIdentity(
        rs.getString(first).charAt(0),
        rs.getBoolean(first + 2),
        rs.getBoolean(first + 3),
        rs.getBoolean(first + 1));
  }

  /**
   * Whether Postgres still applies UPDATE and DELETE to the table once it is published. A
   * partitioned table's partitions answer for themselves (each may have its own key): published as
   * Debezium would.
   */
  boolean publishable() {
    if (partitioned) {
      return true;
    }
    return switch (mode) {
      case 'f' -> true;
      case 'd' -> hasPrimaryKey;
      case 'i' -> hasIdentityIndex;
      default -> false; // 'n': REPLICA IDENTITY NOTHING
    };
  }
}
