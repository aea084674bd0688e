package dev.floe.source.config;

import io.debezium.connector.postgresql.connection.PostgresConnection;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells Floe's converter which array columns are declared with more than one dimension ({@code
 * int[][]}). Debezium's array conversions and Floe's read a value as one list of elements: a
 * two-dimensional value arrived as a list of nulls, or as null with a warning in the worker's log.
 * Postgres does not enforce the declared dimensions (an {@code int[][]} column may hold {@code
 * {1,2}} or a three-dimensional value), so the converter carries such a column as the text Postgres
 * writes ({@code {{1,2},{3,4}}}), whatever each value's shape: exact, and one Iceberg type for the
 * column. The columns are read when the connector starts (and again when it captures a table
 * created since) and handed to the converter as {@value #KEY}: {@code schema.table.column} entries,
 * each URL-encoded, comma-separated.
 */
public final class MultiDimensionalArrays {
  /** The converter's setting, under Floe's converter's prefix. */
  public static final String KEY = "floe.multidimensional.columns";

  private static final Logger LOG = LoggerFactory.getLogger(MultiDimensionalArrays.class);
  private static final String DECLARED =
      "select n.nspname, c.relname, a.attname from pg_attribute a"
          + " join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace"
          + " where a.attndims > 1 and a.attnum > 0 and not a.attisdropped"
          + " and c.relkind in ('r', 'p')"
          + " and n.nspname not in ('pg_catalog', 'information_schema')";

  private MultiDimensionalArrays() {}

  /** {@code config} with {@value #KEY} set when such columns exist and Floe converts. */
  public static Map<String, String> resolved(
      PostgresConnection connection, Map<String, String> config) {
    if (!SourceDefaults.usesFloeConverter(config.get("converters"))) {
      return config;
    }
    StringJoiner columns = new StringJoiner(",");
    try (Statement st = connection.connection().createStatement();
        ResultSet rs = st.executeQuery(DECLARED)) {
      while (rs.next()) {
        columns.add(encode(rs.getString(1) + "." + rs.getString(2) + "." + rs.getString(3)));
      }
    } catch (SQLException e) {
      LOG.warn(
          "Could not read the array columns' dimensions; arrays of several dimensions arrive as"
              + " nulls: {}",
          e.getMessage());
      return config;
    }
    if (columns.length() == 0) {
      return config;
    }
    Map<String, String> withColumns = new HashMap<>(config);
    withColumns.put(KEY, columns.toString());
    return withColumns;
  }

  /** The {@code schema.table.column} names of a {@value #KEY} setting. */
  public static Set<String> parse(String setting) {
    if (setting == null || setting.isBlank()) {
      return Set.of();
    }
    return Arrays.stream(setting.split(","))
        .map(entry -> URLDecoder.decode(entry.trim(), StandardCharsets.UTF_8))
        .collect(Collectors.toUnmodifiableSet());
  }

  private static String encode(String name) {
    return URLEncoder.encode(name, StandardCharsets.UTF_8);
  }
}
