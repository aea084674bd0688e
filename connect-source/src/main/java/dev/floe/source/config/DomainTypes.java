package dev.floe.source.config;

import io.debezium.connector.postgresql.connection.PostgresConnection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.StringJoiner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells Floe's converter the base type of each domain ({@code CREATE DOMAIN amount AS
 * numeric(12,2)}). Debezium names a domain column's type by the domain, so the converter, which
 * picks its encoding by type name, left such a column to Debezium's own conversion: a numeric
 * domain's {@code NaN} arrived as null, a double domain's as 0, a date domain's {@code infinity} as
 * a day some million years off. The connector reads the domains when it starts (a domain over a
 * domain resolved to the last base, arrays of domains to arrays of it) and hands the converter
 * {@value #KEY}: {@code name=base} pairs, comma-separated. Composite types ({@code CREATE TYPE addr
 * AS (street text, zip int)}), which Debezium cannot convert and left out of every event, are named
 * there too, with the base {@code record}: the converter carries them as Postgres writes them,
 * {@code (Main St,12345)}.
 */
public final class DomainTypes {
  /** The converter's setting, under Floe's converter's prefix. */
  public static final String KEY = "floe.domains";

  private static final Logger LOG = LoggerFactory.getLogger(DomainTypes.class);
  private static final String DOMAINS =
      "select t.typname, b.typname, t.typarray <> 0"
          + " from pg_type t join pg_type b on b.oid = t.typbasetype where t.typtype = 'd'";

  // composite types of the user's (not a table's row type): relkind 'c'
  private static final String COMPOSITES =
      "select t.typname, t.typarray <> 0 from pg_type t join pg_class c on c.oid = t.typrelid"
          + " where t.typtype = 'c' and c.relkind = 'c'";

  /** The base a composite type is named with: the converter's text of a whole row value. */
  public static final String COMPOSITE = "record";

  // enum types: their arrays, which Debezium sent as null when an update left a large one out
  private static final String ENUMS =
      "select t.typname, t.typarray <> 0 from pg_type t where t.typtype = 'e'";

  /** The base an enum type is named with (its arrays are carried as text lists). */
  public static final String ENUM = "enum";

  private DomainTypes() {}

  /** {@code config} with {@value #KEY} set when the database has domains and Floe converts. */
  public static Map<String, String> resolved(
      PostgresConnection connection, Map<String, String> config) {
    if (!SourceDefaults.usesFloeConverter(config.get("converters"))) {
      return config;
    }
    Map<String, String> baseOf = new HashMap<>();
    Map<String, Boolean> hasArray = new HashMap<>();
    try (Statement st = connection.connection().createStatement();
        ResultSet rs = st.executeQuery(DOMAINS)) {
      while (rs.next()) {
        baseOf.put(rs.getString(1), rs.getString(2));
        hasArray.put(rs.getString(1), rs.getBoolean(3));
      }
      for (String[] kind : new String[][] {{COMPOSITES, COMPOSITE}, {ENUMS, ENUM}}) {
        try (ResultSet types = st.executeQuery(kind[0])) {
          while (types.next()) {
            baseOf.put(types.getString(1), kind[1]);
            hasArray.put(types.getString(1), types.getBoolean(2));
          }
        }
      }
    } catch (SQLException e) {
      LOG.warn(
          "Could not read the database's domains; their columns keep Debezium's conversion: {}",
          e.getMessage());
      return config;
    }
    if (baseOf.isEmpty()) {
      return config;
    }
    StringJoiner pairs = new StringJoiner(",");
    baseOf.keySet().stream()
        .sorted()
        .forEach(
            domain -> {
              String base = lastBase(domain, baseOf);
              pairs.add(domain + "=" + base);
              if (hasArray.get(domain)) {
                pairs.add("_" + domain + "=_" + base);
              }
            });
    Map<String, String> withDomains = new HashMap<>(config);
    withDomains.put(KEY, pairs.toString());
    return withDomains;
  }

  private static String lastBase(String domain, Map<String, String> baseOf) {
    String base = baseOf.get(domain);
    for (int depth = 0; baseOf.containsKey(base) && depth < 32; depth++) {
      base = baseOf.get(base);
    }
    return base;
  }
}
