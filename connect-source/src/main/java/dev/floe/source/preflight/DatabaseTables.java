package dev.floe.source.preflight;

import io.debezium.config.Configuration;
import io.debezium.connector.postgresql.PostgresConnectorConfig;
import io.debezium.relational.TableId;
import io.debezium.relational.Tables.TableFilter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The tables of the database, with the facts the checks need, and which of them the connector
 * captures. Which tables are captured is decided by Debezium's own filters (the same {@code
 * table.include.list}, {@code schema.include.list} and exclude-list matching the connector uses),
 * never by a second implementation of the regex rules.
 */
final class DatabaseTables {
  // Ordinary and partitioned tables outside the system schemas: what pgoutput can publish.
  private static final String TABLES =
      "select n.nspname, c.relname, c.relkind = 'p', c.relreplident,"
          + " exists (select 1 from pg_index i where i.indrelid = c.oid and i.indisprimary),"
          + " has_table_privilege(c.oid, 'SELECT'), pg_has_role(c.relowner, 'USAGE'),"
          // a domain's column as @ and its base type, a composite's as @record: Floe's converter
          // knows them by the database's types, and arrays declared with several dimensions
          + " (select string_agg(a.attname || ':' || case when a.attndims > 1"
          + "   then '@"
          + ToastCheck.MULTIDIMENSIONAL
          + "' when t.typtype = 'd'"
          + "   then '@' || (select b.typname from pg_type b where b.oid = t.typbasetype)"
          + "   when t.typtype = 'c' then '@record'"
          + "   when e.typtype in ('c', 'e') then case e.typtype when 'c' then '@_record'"
          + "   else '@_enum' end else t.typname end, ', ' order by a.attnum)"
          + "   from pg_attribute a join pg_type t on t.oid = a.atttypid"
          + "   left join pg_type e on e.oid = t.typelem and t.typcategory = 'A'"
          + "   where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped"
          + "   and a.attstorage <> 'p'),"
          + " exists (select 1 from pg_index i where i.indrelid = c.oid and i.indisunique),"
          + " (select string_agg(a.attname || ':' || format_type(a.atttypid, a.atttypmod)"
          + "   || case when a.attndims > 1 then '[]' else '' end, ', ' order by a.attnum)"
          + "   from pg_attribute a join pg_type t on t.oid = a.atttypid"
          + "   where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped"
          + "   and (t.typname in "
          + UnsupportedTypesCheck.TYPES
          + " or a.attndims > 1))"
          + " from pg_class c join pg_namespace n on n.oid = c.relnamespace"
          + " where c.relkind in ('r', 'p')"
          + " and n.nspname not in ('pg_catalog', 'information_schema')"
          + " and n.nspname not like 'pg\\_toast%' and n.nspname not like 'pg\\_temp%'"
          + " order by n.nspname, c.relname";

  private DatabaseTables() {}

  static List<CapturedTable> load(Connection connection) throws SQLException {
    List<CapturedTable> tables = new ArrayList<>();
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery(TABLES)) {
      while (rs.next()) {
        tables.add(
            new CapturedTable(
                rs.getString(1),
                rs.getString(2),
                rs.getBoolean(3),
                rs.getString(4).charAt(0),
                rs.getBoolean(5),
                rs.getBoolean(6),
                rs.getBoolean(7),
                rs.getString(8),
                rs.getBoolean(9),
                rs.getString(10)));
      }
    }
    return tables;
  }

  /** The tables of {@code all} that a connector with {@code config} captures. */
  static List<CapturedTable> captured(List<CapturedTable> all, Configuration config) {
    PostgresConnectorConfig postgres = new PostgresConnectorConfig(config);
    TableFilter filter = postgres.getTableFilters().dataCollectionFilter();
    String database = postgres.databaseName();
    return all.stream()
        .filter(t -> filter.isIncluded(new TableId(database, t.schema(), t.name())))
        .toList();
  }
}
