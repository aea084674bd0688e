package dev.floe.source.preflight;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A publication as the catalog describes it.
 *
 * @param owned whether the connector's role may alter it (owns it, or is a member of its owner)
 * @param tables the published tables as {@code schema.table}, unquoted
 */
record PublicationState(boolean allTables, boolean owned, Set<String> tables) {
  boolean publishes(String table) {
    return allTables || tables.contains(table);
  }

  static PublicationState read(PreflightContext context, String name) throws SQLException {
    boolean allTables;
    boolean owned;
    try (PreparedStatement st =
        context
            .connection()
            .prepareStatement(
                "select puballtables, pg_has_role(pubowner, 'USAGE') from pg_publication"
                    + " where pubname = ?")) {
      st.setString(1, name);
      try (ResultSet rs = st.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        allTables = rs.getBoolean(1);
        owned = rs.getBoolean(2);
      }
    }
    Set<String> tables = new LinkedHashSet<>();
    try (PreparedStatement st =
        context
            .connection()
            .prepareStatement(
                "select schemaname, tablename from pg_publication_tables where pubname = ?")) {
      st.setString(1, name);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          tables.add(rs.getString(1) + "." + rs.getString(2));
        }
      }
    }
    return new PublicationState(allTables, owned, tables);
  }
}
