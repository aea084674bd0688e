package dev.floe.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Test;

/**
 * The checks of {@link SpecialValuesIT} (JSON) and {@link AvroSpecialValuesIT} (Avro), each of
 * which starts its own pipeline and calls {@link #createTablesAndConnectors()}. Postgres's special
 * values, through the snapshot and again through the WAL: real and double NaN, ±Infinity and -0
 * arrive bit for bit, date ±infinity as the documented sentinels (the largest and smallest INT32
 * day numbers), BC dates with their era; an unconstrained numeric's NaN and infinities arrive as
 * their text (a string column by default), and a numeric(p,s) NaN (which no Iceberg decimal holds)
 * keeps its row, the column null and "NaN" in _floe_unrepresentable: no row goes to the dead letter
 * topic.
 */
abstract class SpecialValueChecks extends PipelineTestBase {
  private static final String DEAD_LETTERS = "sv-dead-letters";

  /**
   * id, real, double, date, numeric(12,3), numeric, real[], double[], date[], numeric(12,3)[],
   * numeric[], timestamptz[], timestamp[], time[].
   */
  private static final String[] ROWS = {
    "(1, 'NaN', 'NaN', 'infinity', 1.5, 2, '{NaN,Infinity,-Infinity,-0,NULL,1.5}',"
        + " '{NaN,Infinity,-Infinity,-0,NULL,1e-300}', '{infinity,-infinity,0044-03-15 BC,NULL,2024-02-29}',"
        // the driver cannot read back a numeric array holding NaN: Debezium sent null for it
        + " '{1.5,NULL,NaN}', '{NaN,Infinity,-Infinity,1e-18,NULL,-7}',"
        // eras, microseconds, offsets and infinities, which the driver's java.sql values lose
        + " '{infinity,-infinity,\"0044-03-15 10:00:00.654321+02 BC\",NULL,\"2024-02-29 23:59:59.999999-05:30\"}',"
        + " '{infinity,-infinity,\"0044-03-15 10:00:00.000001 BC\",\"2024-02-29 23:59:59.999999\"}',"
        + " '{00:00:00,12:00:00.123456,NULL,23:59:59.999999}')",
    "(2, 'Infinity', 'Infinity', '-infinity', -1.5, 0.001, '{}', '{}', '{}', '{}', '{}', '{}', '{}',"
        + " '{}')",
    "(10, 1, 1, '2024-01-01', 1, 1, null, null, null, '{1.5,-2.25,NULL}', '{0.1,NULL}')",
    "(3, '-Infinity', '-Infinity', '0044-03-15 BC', 0, -7)",
    "(4, '-0', '-0', '4714-11-24 BC', 123456789.123, 1e-18)",
    "(5, 1.5, 2.25, '2024-02-29', null, null)",
    "(6, 3.4e38, 1e-300, '0001-01-01 BC', 1, 1)",
    "(7, null, null, '5874897-12-31', 2, 2)",
    "(8, 1, 1, '2024-01-01', 'NaN', 1)", // no Iceberg decimal holds it: kept as text
    "(9, 1, 1, '2024-01-01', 1, '-Infinity')" // a string column holds it
  };

  /** The tables with their rows, then the source and the sink (dead letters on). */
  static void createTablesAndConnectors() throws Exception {
    pipeline.sql(
        "create schema special",
        "create table special.vals (id int primary key, c_real real, c_double double precision,"
            + " c_date date, c_numeric numeric(12,3), c_numeric_free numeric, c_real_array real[],"
            + " c_double_array double precision[], c_date_array date[],"
            + " c_numeric_array numeric(12,3)[], c_numeric_free_array numeric[],"
            + " c_tstz_array timestamptz[], c_ts_array timestamp[], c_time_array time[])",
        // defaults: Debezium passes them through the converter when it builds the schema
        "create table special.dated (id int primary key, d date default current_date,"
            + " b date default '0044-03-15 BC', r real default 'NaN', x double precision default"
            + " '-Infinity', n numeric(5,2) default 'NaN', a date[] default '{infinity}')",
        "insert into special.dated (id, n) values (1, 1)",
        // domains: converted as their base types, special values and eras included
        "create domain special.amount as numeric(12,2)",
        "create domain special.ratio as double precision",
        "create domain special.day as date",
        "create domain special.free as numeric",
        "create table special.domains (id int primary key, a special.amount, r special.ratio,"
            + " d special.day, f special.free)",
        "insert into special.domains values (1, 1.5, 0.5, '2024-01-01', 1.25),"
            + " (2, 'NaN', 'NaN', 'infinity', 'NaN'), (3, 2, '-Infinity', '0044-03-15 BC', 1e-30)");
    for (String row : ROWS) {
      pipeline.sql("insert into special.vals values " + row); // columns left out are null
    }
    pipeline.startSource(
        "sv-source",
        Map.of(
            "topic.prefix",
            "sv",
            "schema.include.list",
            "special",
            "slot.name",
            "sv_slot",
            "publication.name",
            "sv_publication"));
    Map<String, String> sink = new HashMap<>();
    sink.put("topics.regex", "sv\\.special\\..*");
    sink.put("commit.interval.ms", "1000");
    sink.put("errors.tolerance", "all");
    sink.put("errors.deadletterqueue.topic.name", DEAD_LETTERS);
    sink.put("errors.deadletterqueue.topic.replication.factor", "1");
    sink.put("errors.deadletterqueue.context.headers.enable", "true");
    pipeline.startSink("sv-sink", sink);
  }

  @Test
  void specialValuesArriveExactlyOnTheSnapshotAndTheWal() throws Exception {
    Waits.until(
        Duration.ofSeconds(120),
        "the snapshot",
        () -> expectedRows().equals(icebergRows()),
        () -> "postgres " + expectedRows() + "\n iceberg " + icebergRows());

    // the same values again, decoded from the WAL this time
    pipeline.sql(
        "insert into special.vals select id + 100, c_real, c_double, c_date, c_numeric,"
            + " c_numeric_free, c_real_array, c_double_array, c_date_array, c_numeric_array,"
            + " c_numeric_free_array, c_tstz_array, c_ts_array, c_time_array from special.vals");
    Waits.until(
        Duration.ofSeconds(120),
        "the streamed rows",
        () -> expectedRows().containsKey("107") && expectedRows().equals(icebergRows()),
        () -> "postgres " + expectedRows() + "\n iceberg " + icebergRows());
    assertEquals(20, icebergRows().size(), "10 rows on each path, none to dead letters");
    assertEquals(Map.of("c_numeric", "NaN"), keptAsText("8"));
    assertEquals(Map.of("c_numeric", "NaN"), keptAsText("108"));
    // a decimal array holding NaN: the column null and the whole array, as Postgres writes it
    assertEquals(Map.of("c_numeric_array", "{1.500,NULL,NaN}"), keptAsText("1"));
    assertEquals(Map.of("c_numeric_array", "{1.500,NULL,NaN}"), keptAsText("101"));

    // a finite value replaces it, and the row no longer keeps any text
    pipeline.sql("update special.vals set c_numeric = 8 where id = 8");
    Waits.until(
        Duration.ofSeconds(120),
        "the corrected row",
        () -> keptAsText("8") == null && expectedRows().equals(icebergRows()),
        () -> "postgres " + expectedRows() + "\n iceberg " + icebergRows());
  }

  /**
   * A domain's column was left to Debezium's conversion (the converter knew types by name): a
   * numeric domain's NaN arrived as null, a double domain's NaN and -Infinity as 0, a date domain's
   * infinity as a day millions of years off and a BC date without its era.
   */
  @Test
  void domainsCarryTheSpecialValuesOfTheirBaseTypes() throws Exception {
    pipeline.sql("insert into special.domains select id + 10, a, r, d, f from special.domains");
    Map<String, String> expected = new TreeMap<>();
    for (int offset : new int[] {0, 10}) {
      expected.put(String.valueOf(1 + offset), "1.50|0.5|2024-01-01|1.25|null");
      expected.put(
          String.valueOf(2 + offset),
          "null|NaN|" + LocalDate.ofEpochDay(Integer.MAX_VALUE) + "|NaN|{a=NaN}");
      expected.put(
          String.valueOf(3 + offset),
          "2.00|-Infinity|-0043-03-15|0.000000000000000000000000000001|null");
    }
    Waits.until(
        Duration.ofSeconds(120),
        "the domains' rows",
        () -> expected.equals(domainRows()),
        () -> "expected " + expected + "\n iceberg " + domainRows());
  }

  private static Map<String, String> domainRows() throws Exception {
    Map<String, String> rows = new TreeMap<>();
    try (CloseableIterable<Record> records =
        IcebergGenerics.read(pipeline.table("cdc.special_domains")).build()) {
      for (Record record : records) {
        rows.put(
            String.valueOf(record.getField("id")),
            record.getField("a")
                + "|"
                + record.getField("r")
                + "|"
                + record.getField("d")
                + "|"
                + record.getField("f")
                + "|"
                + record.getField("_floe_unrepresentable"));
      }
    } catch (org.apache.iceberg.exceptions.NoSuchTableException notYet) {
      return rows;
    }
    return rows;
  }

  @Test
  void columnsWithDefaultsKeepFlowing() throws Exception {
    // special values and current_date as defaults: the source builds its schema through the
    // converter and must not stop on them
    String[] expected;
    try (Connection c = pipeline.postgres();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "select (d - date '1970-01-01')::text, (b - date '1970-01-01')::text, r::text,"
                    + " x::text, a = '{infinity}' from special.dated")) {
      rs.next();
      expected =
          new String[] {
            rs.getString(1),
            rs.getString(2),
            String.valueOf(Float.valueOf(rs.getString(3))),
            String.valueOf(Double.valueOf(rs.getString(4))),
            rs.getBoolean(5) ? "[" + Integer.MAX_VALUE + "]" : "not infinity: " + rs.getString(5)
          };
    }
    String[] want = expected;
    Waits.until(
        Duration.ofSeconds(120),
        "the row with defaults",
        () -> {
          try {
            return java.util.Arrays.equals(want, datedRow());
          } catch (org.apache.iceberg.exceptions.NoSuchTableException notYet) {
            return false;
          }
        },
        () -> java.util.Arrays.toString(want));
  }

  private static String[] datedRow() throws Exception {
    try (CloseableIterable<Record> records =
        IcebergGenerics.read(pipeline.table("cdc.special_dated")).build()) {
      for (Record record : records) {
        return new String[] {
          String.valueOf(((LocalDate) record.getField("d")).toEpochDay()),
          String.valueOf(((LocalDate) record.getField("b")).toEpochDay()),
          String.valueOf(record.getField("r")),
          String.valueOf(record.getField("x")),
          list(record.getField("a"), d -> String.valueOf(((LocalDate) d).toEpochDay()))
              .replace(" ", "")
        };
      }
    }
    return null;
  }

  /**
   * What Postgres holds, rendered as Iceberg's values render below: a numeric(12,3) NaN as null
   * (its text is in _floe_unrepresentable), an unconstrained numeric's special values as their
   * text.
   */
  private static Map<String, Map<String, String>> expectedRows() throws Exception {
    String select =
        "select id, c_real::text, c_double::text,"
            + " case when c_date = 'infinity' then '2147483647' when c_date = '-infinity'"
            + "  then '-2147483648' else (c_date - date '1970-01-01')::text end,"
            + " c_numeric::text, c_numeric_free::text, array_to_string(c_real_array, '|', 'NULL'),"
            + " array_to_string(c_double_array, '|', 'NULL'),"
            + " (select string_agg(case when d is null then 'NULL' when d = 'infinity' then '2147483647'"
            + "  when d = '-infinity' then '-2147483648' else (d - date '1970-01-01')::text end, '|'"
            + "  order by n) from unnest(c_date_array) with ordinality as u(d, n)), c_date_array is null,"
            + " c_numeric_array::text, c_numeric_free_array::text, "
            + micros("c_tstz_array")
            + ", "
            + micros("c_ts_array")
            + ", "
            + micros("c_time_array")
            + " from special.vals";
    Map<String, Map<String, String>> rows = new TreeMap<>();
    try (Connection c = pipeline.postgres();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(select)) {
      while (rs.next()) {
        Map<String, String> row = new LinkedHashMap<>();
        row.put(
            "c_real",
            rs.getString(2) == null ? null : String.valueOf(Float.valueOf(rs.getString(2))));
        row.put(
            "c_double",
            rs.getString(3) == null ? null : String.valueOf(Double.valueOf(rs.getString(3))));
        row.put("c_date", rs.getString(4));
        row.put(
            "c_numeric",
            rs.getString(5) == null || rs.getString(5).equals("NaN")
                ? null
                : plain(new BigDecimal(rs.getString(5))));
        row.put("c_numeric_free", plain(rs.getString(6)));
        row.put(
            "c_real_array", items(rs.getString(7), item -> String.valueOf(Float.valueOf(item))));
        row.put(
            "c_double_array", items(rs.getString(8), item -> String.valueOf(Double.valueOf(item))));
        // an empty array aggregates to null: its null flag tells it from a null array
        String days = rs.getString(9);
        row.put("c_date_array", rs.getBoolean(10) ? null : items(days == null ? "" : days, d -> d));
        // a NaN in a decimal array: the column null, the array kept as text (asserted above)
        String decimals = rs.getString(11);
        row.put(
            "c_numeric_array",
            decimals == null || decimals.contains("NaN") ? null : arrayItems(decimals, d -> d));
        row.put("c_numeric_free_array", arrayItems(rs.getString(12), d -> d));
        row.put("c_tstz_array", items(rs.getString(13), m -> m));
        row.put("c_ts_array", items(rs.getString(14), m -> m));
        row.put("c_time_array", items(rs.getString(15), m -> m));
        rows.put(rs.getString(1), row);
      }
    }
    return rows;
  }

  /** Postgres's array text ("a|NULL|b"; "" or null for an empty array) as a list's rendering. */
  private static String items(String text, Function<String, String> item) {
    if (text == null || text.isEmpty()) {
      return text == null ? null : "[]";
    }
    List<String> out = new ArrayList<>();
    for (String part : text.split("\\|")) {
      out.add(part.equals("NULL") ? "NULL" : item.apply(part));
    }
    return out.toString();
  }

  /** Postgres's array literal ("{1.5,NULL}") as a list's rendering, each element through item. */
  private static String arrayItems(String literal, Function<String, String> item) {
    if (literal == null) {
      return null;
    }
    String inner = literal.substring(1, literal.length() - 1);
    return items(inner.replace(',', '|'), item);
  }

  private static String list(Object value, Function<Object, String> item) {
    if (value == null) {
      return null;
    }
    List<String> out = new ArrayList<>();
    ((List<?>) value).forEach(element -> out.add(element == null ? "NULL" : item.apply(element)));
    return out.toString();
  }

  private static Map<String, Map<String, String>> icebergRows() throws Exception {
    Map<String, Map<String, String>> rows = new TreeMap<>();
    org.apache.iceberg.Table table;
    try {
      table = pipeline.table("cdc.special_vals");
    } catch (org.apache.iceberg.exceptions.NoSuchTableException notYet) {
      return rows;
    }
    try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
      for (Record record : records) {
        Map<String, String> row = new LinkedHashMap<>();
        // String.valueOf of a Float or Double: "NaN", "Infinity", "-0.0", like the Postgres side
        row.put("c_real", text(record.getField("c_real")));
        row.put("c_double", text(record.getField("c_double")));
        Object date = record.getField("c_date");
        row.put("c_date", date == null ? null : String.valueOf(((LocalDate) date).toEpochDay()));
        row.put(
            "c_numeric",
            record.getField("c_numeric") == null ? null : plain(record.getField("c_numeric")));
        row.put(
            "c_numeric_free",
            record.getField("c_numeric_free") == null
                ? null
                : plain(record.getField("c_numeric_free")));
        row.put("c_real_array", list(record.getField("c_real_array"), String::valueOf));
        row.put("c_double_array", list(record.getField("c_double_array"), String::valueOf));
        row.put(
            "c_date_array",
            list(
                record.getField("c_date_array"),
                d -> String.valueOf(((LocalDate) d).toEpochDay())));
        row.put(
            "c_numeric_array",
            list(record.getField("c_numeric_array"), SpecialValueChecks::plainText));
        row.put(
            "c_numeric_free_array", list(record.getField("c_numeric_free_array"), String::valueOf));
        row.put("c_tstz_array", list(record.getField("c_tstz_array"), SpecialValueChecks::micros));
        row.put("c_ts_array", list(record.getField("c_ts_array"), SpecialValueChecks::micros));
        row.put("c_time_array", list(record.getField("c_time_array"), SpecialValueChecks::micros));
        rows.put(String.valueOf(record.getField("id")), row);
      }
    }
    return rows;
  }

  /** The row's _floe_unrepresentable map, or null. */
  private static Map<?, ?> keptAsText(String id) throws Exception {
    try (CloseableIterable<Record> records =
        IcebergGenerics.read(pipeline.table("cdc.special_vals")).build()) {
      for (Record record : records) {
        if (String.valueOf(record.getField("id")).equals(id)) {
          return (Map<?, ?>) record.getField("_floe_unrepresentable");
        }
      }
    }
    return null;
  }

  /**
   * Postgres's own reading of a timestamp, timestamptz or time array: each element's microseconds
   * (since the epoch, or of the day), infinities as the sink's largest and smallest timestamps,
   * "a|NULL|b" as {@link #items} takes it (null for a null array, "" for an empty one).
   */
  private static String micros(String column) {
    return "case when "
        + column
        + " is null then null else coalesce((select string_agg(case when x is null then 'NULL'"
        + " when x::text = 'infinity' then '9223372036825200000'"
        + " when x::text = '-infinity' then '-9223372036832400000'"
        + " else (extract(epoch from x) * 1000000)::bigint::text end, '|' order by n)"
        + " from unnest("
        + column
        + ") with ordinality as u(x, n)), '') end";
  }

  /** An Iceberg timestamp, timestamptz or time as its microseconds, as {@link #micros} renders. */
  private static String micros(Object value) {
    if (value instanceof OffsetDateTime instant) {
      return String.valueOf(instant.toEpochSecond() * 1_000_000L + instant.getNano() / 1_000);
    }
    if (value instanceof java.time.LocalDateTime local) {
      return String.valueOf(
          local.toEpochSecond(java.time.ZoneOffset.UTC) * 1_000_000L + local.getNano() / 1_000);
    }
    return String.valueOf(((java.time.LocalTime) value).toNanoOfDay() / 1_000);
  }

  private static String plainText(Object decimal) {
    return ((BigDecimal) decimal).toPlainString();
  }

  private static String text(Object value) {
    return value == null ? null : String.valueOf(value);
  }

  /** A decimal, or a numeric's text (NaN, infinities as they are), as plain digits. */
  private static String plain(Object decimal) {
    if (decimal == null || decimal.equals("NaN") || String.valueOf(decimal).endsWith("Infinity")) {
      return decimal == null ? null : (String) decimal;
    }
    BigDecimal value = decimal instanceof String text ? new BigDecimal(text) : (BigDecimal) decimal;
    return value.signum() == 0 ? "0" : value.stripTrailingZeros().toPlainString();
  }
}
