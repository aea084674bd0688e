package dev.floe.verify;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;

/**
 * The rows of one side, streamed once per pass (never all held): Postgres through a cursor in the
 * caller's transaction, at most {@code rowsPerSecond} a second; Iceberg through its generic reader
 * at one snapshot. Each row is its key (the key columns' texts) and the compared columns' texts,
 * each rendered by its Postgres type ({@link PostgresRendering}), in the same order on both sides.
 */
final class TableRows {
  interface Visitor {
    void row(String key, Map<String, String> row) throws Exception;
  }

  /** A Postgres table's columns, their types (as {@code format_type} spells them) and its key. */
  record Described(List<String> columns, List<String> types, List<String> key) {
    PostgresRendering rendering(String column) {
      return PostgresRendering.of(types.get(columns.indexOf(column)));
    }
  }

  private TableRows() {}

  static void ofPostgres(
      Connection db,
      String table,
      Described described,
      List<String> columns,
      long rowsPerSecond,
      Visitor visitor)
      throws Exception {
    List<PostgresRendering> renderings = new ArrayList<>();
    StringBuilder select = new StringBuilder("select ");
    for (int i = 0; i < columns.size(); i++) {
      PostgresRendering rendering = described.rendering(columns.get(i));
      renderings.add(rendering);
      select.append(i == 0 ? "" : ", ").append(rendering.sql().formatted(quote(columns.get(i))));
    }
    select.append(" from ").append(qualified(table));
    long started = System.nanoTime();
    long read = 0;
    try (Statement st = db.createStatement()) {
      st.execute("set local intervalstyle = 'iso_8601'");
      st.setFetchSize(2_000);
      try (ResultSet rs = st.executeQuery(select.toString())) {
        while (rs.next()) {
          Map<String, String> row = new LinkedHashMap<>();
          for (int i = 1; i <= columns.size(); i++) {
            String text = rs.getString(i);
            row.put(
                columns.get(i - 1),
                text == null ? null : renderings.get(i - 1).postgres().apply(text));
          }
          visitor.row(key(row, described.key()), row);
          if (rowsPerSecond > 0 && ++read % 1_000 == 0) {
            long due = started + read * 1_000_000_000L / rowsPerSecond;
            long wait = due - System.nanoTime();
            if (wait > 0) {
              Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
          }
        }
      }
    }
  }

  static void ofIceberg(
      Table table, Snapshot snapshot, Described described, List<String> columns, Visitor visitor)
      throws Exception {
    if (snapshot == null) {
      return; // an empty table
    }
    try (CloseableIterable<Record> records =
        IcebergGenerics.read(table).useSnapshot(snapshot.snapshotId()).select(columns).build()) {
      for (Record record : records) {
        Map<String, String> row = new LinkedHashMap<>();
        for (String column : columns) {
          Object value = record.getField(column);
          row.put(
              column, value == null ? null : described.rendering(column).iceberg().apply(value));
        }
        visitor.row(key(row, described.key()), row);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static String key(Map<String, String> row, List<String> keyColumns) {
    StringBuilder key = new StringBuilder();
    for (String column : keyColumns) {
      key.append(key.length() == 0 ? "" : "|").append(row.get(column));
    }
    return key.toString();
  }

  static String qualified(String table) {
    String[] parts = table.split("\\.", 2);
    return quote(parts[0]) + "." + quote(parts[1]);
  }

  static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  /** The columns of a Postgres table, in order, their types, and its primary key's. */
  static Described describe(Connection db, String table) throws SQLException {
    String[] parts = table.split("\\.", 2);
    List<String> columns = new ArrayList<>();
    List<String> types = new ArrayList<>();
    List<String> key = new ArrayList<>();
    try (var st =
        db.prepareStatement(
            "select a.attname, coalesce(i.indisprimary, false),"
                + " format_type(a.atttypid, a.atttypmod) from pg_attribute a"
                + " join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid ="
                + " c.relnamespace left join pg_index i on i.indrelid = c.oid and i.indisprimary"
                + " and a.attnum = any(i.indkey) where n.nspname = ? and c.relname = ? and"
                + " a.attnum > 0 and not a.attisdropped order by a.attnum")) {
      st.setString(1, parts[0]);
      st.setString(2, parts[1]);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          columns.add(rs.getString(1));
          types.add(rs.getString(3));
          if (rs.getBoolean(2)) {
            key.add(rs.getString(1));
          }
        }
      }
    }
    return new Described(columns, types, key);
  }
}
