package dev.floe.source.config;

import io.debezium.connector.postgresql.connection.PostgresConnection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leaves generated columns out of the events. Postgres sends no generated column through logical
 * replication (before 18, and on 18 only stored ones of a publication with {@code
 * publish_generated_columns = stored}); Debezium's snapshot reads them with the rest of the row. So
 * a table's snapshot rows would carry the column and every row written after would not: in Iceberg
 * the column would hold its value for rows untouched since the snapshot and null for the others,
 * with nothing to tell the two apart. Left out of every event, the column is simply not in the
 * Iceberg table, where queries compute it from the columns it is made of.
 *
 * <p>Debezium's own {@code column.exclude.list} does it, for the snapshot, incremental snapshots
 * and the WAL alike: the connector adds the generated columns it finds at start. A primary key
 * column is kept (the key must stay whole), and with a {@code column.include.list}, which Debezium
 * allows only without an exclude list, the user's choice stands.
 */
public final class GeneratedColumns {
  static final String EXCLUDE = "column.exclude.list";
  static final String INCLUDE = "column.include.list";
  private static final Logger LOG = LoggerFactory.getLogger(GeneratedColumns.class);

  // pg_attribute.attgenerated: 's' stored (12+), 'v' virtual (18+), '' for other columns
  private static final String GENERATED =
      "select n.nspname, c.relname, a.attname, a.attgenerated"
          + " from pg_attribute a join pg_class c on c.oid = a.attrelid"
          + " join pg_namespace n on n.oid = c.relnamespace"
          + " where a.attgenerated <> '' and a.attnum > 0 and not a.attisdropped"
          + " and c.relkind in ('r', 'p')"
          + " and not exists (select 1 from pg_index i where i.indrelid = c.oid"
          + "   and i.indisprimary and a.attnum = any(i.indkey))"
          + " order by 1, 2, a.attnum";

  private GeneratedColumns() {}

  /** {@code config} with the database's generated columns added to {@code column.exclude.list}. */
  public static Map<String, String> leftOut(
      PostgresConnection connection, Map<String, String> config) {
    String include = config.get(INCLUDE);
    if (include != null && !include.isBlank()) {
      return config;
    }
    boolean storedPublished = storedPublished(connection, config.get("publication.name"));
    List<String> patterns = new ArrayList<>();
    try (Statement st = connection.connection().createStatement();
        ResultSet rs = st.executeQuery(GENERATED)) {
      while (rs.next()) {
        if (!storedPublished || !"s".equals(rs.getString(4))) {
          patterns.add(
              literal(rs.getString(1))
                  + "\\."
                  + literal(rs.getString(2))
                  + "\\."
                  + literal(rs.getString(3)));
        }
      }
    } catch (SQLException e) {
      LOG.warn("Could not read the generated columns; they are not left out: {}", e.getMessage());
      return config;
    }
    if (patterns.isEmpty()) {
      return config;
    }
    LOG.info(
        "Generated columns left out of the events (Postgres does not replicate them): {}",
        patterns);
    Map<String, String> withExcluded = new HashMap<>(config);
    String own = config.get(EXCLUDE);
    String added = String.join(",", patterns);
    withExcluded.put(EXCLUDE, own == null || own.isBlank() ? added : own + "," + added);
    return withExcluded;
  }

  /** Whether the publication sends stored generated columns (Postgres 18's option). */
  private static boolean storedPublished(PostgresConnection connection, String publication) {
    try (PreparedStatement ps =
        connection
            .connection()
            .prepareStatement("select * from pg_publication where pubname = ?")) {
      ps.setString(1, publication == null ? "floe_publication" : publication);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && "s".equals(column(rs, "pubgencols"));
      }
    } catch (SQLException e) {
      return false;
    }
  }

  private static String column(ResultSet rs, String name) throws SQLException {
    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
      if (rs.getMetaData().getColumnName(i).equals(name)) {
        return rs.getString(i);
      }
    }
    return null; // before Postgres 18
  }

  /**
   * {@code name} as a regular expression matching only itself; a comma (Debezium splits its lists
   * on commas) matches as any character.
   */
  static String literal(String name) {
    StringBuilder regex = new StringBuilder();
    for (char c : name.toCharArray()) {
      if (c == ',') {
        regex.append('.');
      } else if (Character.isLetterOrDigit(c) || c == '_') {
        regex.append(c);
      } else {
        regex.append('\\').append(c);
      }
    }
    return regex.toString();
  }
}
