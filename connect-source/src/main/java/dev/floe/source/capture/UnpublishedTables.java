package dev.floe.source.capture;

import io.debezium.config.Configuration;
import io.debezium.connector.postgresql.PostgresConnectorConfig;
import io.debezium.relational.TableId;
import io.debezium.relational.Tables.TableFilter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The tables the connector captures that its publication does not hold. Which tables are captured
 * is decided by Debezium's own filters, as for the preflight; partitions are left out, since a
 * partitioned table in the publication publishes all of its partitions, those created later too.
 */
final class UnpublishedTables {
  /**
   * The tables a publication can name, as {@code c} in schema {@code n}: ordinary and partitioned
   * ones outside the system schemas, partitions aside.
   */
  static final String PUBLISHABLE_RELATIONS =
      " from pg_class c join pg_namespace n on n.oid = c.relnamespace"
          + " where c.relkind in ('r', 'p') and not c.relispartition"
          + " and n.nspname not in ('pg_catalog', 'information_schema')"
          + " and n.nspname not like 'pg\\_toast%' and n.nspname not like 'pg\\_temp%'";

  private static final String MISSING =
      "select n.nspname, c.relname"
          + PUBLISHABLE_RELATIONS
          + " and exists (select 1 from pg_publication p where p.pubname = ?)"
          + " and not exists (select 1 from pg_publication_rel r join pg_publication p"
          + "   on p.oid = r.prpubid where p.pubname = ? and r.prrelid = c.oid)"
          + " order by 1, 2";

  private final String publication;
  private final String database;
  private final TableFilter filter;

  UnpublishedTables(Map<String, String> config) {
    PostgresConnectorConfig postgres = new PostgresConnectorConfig(Configuration.from(config));
    this.publication = postgres.publicationName();
    this.database = postgres.databaseName();
    this.filter = postgres.getTableFilters().dataCollectionFilter();
  }

  /** Captured tables missing from the publication; none while the publication does not exist. */
  List<TableId> find(Connection connection) throws SQLException {
    List<TableId> missing = new ArrayList<>();
    try (PreparedStatement query = connection.prepareStatement(MISSING)) {
      query.setString(1, publication);
      query.setString(2, publication);
      try (ResultSet rs = query.executeQuery()) {
        while (rs.next()) {
          TableId table = new TableId(database, rs.getString(1), rs.getString(2));
          if (filter.isIncluded(table)) {
            missing.add(table);
          }
        }
      }
    }
    return missing;
  }

  String publication() {
    return publication;
  }
}
