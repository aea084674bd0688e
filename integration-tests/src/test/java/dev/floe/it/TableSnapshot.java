package dev.floe.it;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;

/**
 * A table's rows in a form both sides can be compared in: key → column → canonical text. Postgres
 * is read through JDBC, Iceberg through its own generic reader; values are rendered by meaning (an
 * instant for a timestamptz, a plain decimal for a numeric), so the comparison checks content, not
 * formatting.
 */
final class TableSnapshot {
  final Map<String, Map<String, String>> rowsByKey = new TreeMap<>();
  int duplicateKeys;

  static TableSnapshot ofPostgres(Connection connection, String table, String... keyColumns)
      throws SQLException {
    TableSnapshot snapshot = new TableSnapshot();
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery("select * from " + table)) {
      ResultSetMetaData meta = rs.getMetaData();
      while (rs.next()) {
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          row.put(meta.getColumnName(i), canonicalPostgres(rs, i, meta.getColumnTypeName(i)));
        }
        snapshot.add(key(row, keyColumns), row);
      }
    }
    return snapshot;
  }

  private static final String UNREPRESENTABLE = "_floe_unrepresentable";

  static TableSnapshot ofIceberg(Table table, String... keyColumns) throws Exception {
    table.refresh();
    TableSnapshot snapshot = new TableSnapshot();
    try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
      for (Record record : records) {
        Map<String, String> row = new LinkedHashMap<>();
        for (Types.NestedField field : table.schema().columns()) {
          Object value = record.getField(field.name());
          // the map of values their columns cannot hold is Floe's own: compared only when it
          // holds something, which Postgres then has no column for and the rows differ
          if (value != null || !field.name().equals(UNREPRESENTABLE)) {
            row.put(field.name(), canonical(value));
          }
        }
        snapshot.add(key(row, keyColumns), row);
      }
    }
    return snapshot;
  }

  /** The same rows with only {@code columns} (a table that kept a column Postgres dropped, say). */
  TableSnapshot project(java.util.Collection<String> columns) {
    TableSnapshot projected = new TableSnapshot();
    rowsByKey.forEach(
        (key, row) -> {
          Map<String, String> kept = new LinkedHashMap<>();
          columns.forEach(c -> kept.put(c, row.get(c)));
          projected.rowsByKey.put(key, kept);
        });
    projected.duplicateKeys = duplicateKeys;
    return projected;
  }

  /** The column names of the first row, in order. */
  java.util.List<String> columns() {
    return rowsByKey.isEmpty()
        ? java.util.List.of()
        : new java.util.ArrayList<>(rowsByKey.values().iterator().next().keySet());
  }

  private static String key(Map<String, String> row, String[] keyColumns) {
    StringBuilder key = new StringBuilder();
    for (String column : keyColumns) {
      key.append(key.length() == 0 ? "" : "|").append(row.get(column));
    }
    return key.toString();
  }

  private void add(String key, Map<String, String> row) {
    if (rowsByKey.put(key, row) != null) {
      duplicateKeys++;
    }
  }

  private static String canonicalPostgres(ResultSet rs, int i, String type) throws SQLException {
    if (rs.getObject(i) == null) {
      return null;
    }
    switch (type) {
      case "timestamptz":
        return rs.getObject(i, OffsetDateTime.class).toInstant().toString();
      case "timestamp":
        return rs.getObject(i, LocalDateTime.class).toString();
      case "date":
        return rs.getObject(i, LocalDate.class).toString();
      case "time": // the driver's Time drops the microseconds
        return rs.getObject(i, java.time.LocalTime.class).toString();
      case "bytea":
        return HexFormat.of().formatHex(rs.getBytes(i));
      case "_timestamptz": // finite AD values only: the driver's Timestamp has no era or infinity
        return elements(rs.getArray(i), e -> ((java.sql.Timestamp) e).toInstant().toString());
      case "_timestamp": // its text: the driver's Timestamp passes through the JVM's zone
        return elements(
            rs.getString(i).replaceAll("[{}\"]", "").split(","),
            e ->
                e.equals("NULL")
                    ? null
                    : LocalDateTime.parse(((String) e).replace(' ', 'T')).toString());
      case "_time": // the driver's Time drops the microseconds: Postgres's text keeps them
        return elements(
            rs.getString(i).replaceAll("[{}]", "").split(","),
            e -> e.equals("NULL") ? null : java.time.LocalTime.parse((String) e).toString());
      case "_numeric": // the driver cannot read NaN back; Postgres's text is plain, never 1E-21
        String text = rs.getString(i);
        List<String> items = new ArrayList<>();
        if (text.length() > 2) {
          for (String item : text.substring(1, text.length() - 1).split(",")) {
            items.add(item.equals("NULL") ? null : item);
          }
        }
        return items.toString();
      default:
        break;
    }
    Object value = rs.getObject(i);
    if (value instanceof Array array) {
      return Arrays.asList((Object[]) array.getArray()).toString();
    }
    return canonical(value);
  }

  private static String elements(Array array, java.util.function.Function<Object, String> each)
      throws SQLException {
    return elements((Object[]) array.getArray(), each);
  }

  private static String elements(Object[] items, java.util.function.Function<Object, String> each) {
    List<String> out = new ArrayList<>();
    for (Object item : items) {
      out.add(item == null ? null : each.apply(item));
    }
    return out.toString();
  }

  static String canonical(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof BigDecimal decimal) {
      return decimal.toPlainString();
    }
    if (value instanceof OffsetDateTime odt) {
      return odt.toInstant().toString();
    }
    if (value instanceof ByteBuffer buffer) {
      byte[] bytes = new byte[buffer.remaining()];
      buffer.duplicate().get(bytes);
      return HexFormat.of().formatHex(bytes);
    }
    if (value instanceof List<?> list) {
      List<String> items = new ArrayList<>();
      list.forEach(item -> items.add(canonical(item)));
      return items.toString();
    }
    return value.toString();
  }

  @Override
  public String toString() {
    return rowsByKey.size()
        + " rows"
        + (duplicateKeys > 0 ? " (" + duplicateKeys + " duplicate keys)" : "")
        + ": "
        + abbreviated();
  }

  /** The rows, each value over 200 characters cut to its start and its length (a failure's log). */
  private String abbreviated() {
    Map<String, Map<String, String>> shown = new java.util.TreeMap<>();
    rowsByKey.forEach(
        (key, row) -> {
          Map<String, String> cut = new java.util.LinkedHashMap<>();
          row.forEach(
              (column, value) ->
                  cut.put(
                      column,
                      value != null && value.length() > 200
                          ? value.substring(0, 40)
                              + "... ("
                              + value.length()
                              + " chars, hash "
                              + value.hashCode()
                              + ")"
                          : value));
          shown.put(key, cut);
        });
    return shown.toString();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof TableSnapshot that
        && rowsByKey.equals(that.rowsByKey)
        && duplicateKeys == that.duplicateKeys;
  }

  @Override
  public int hashCode() {
    return rowsByKey.hashCode();
  }
}
