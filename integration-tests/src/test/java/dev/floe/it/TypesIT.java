package dev.floe.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One table with a column of every Postgres type Floe maps, written with ordinary and edge values,
 * through the snapshot and then the WAL; what Iceberg returns must mean what Postgres holds, column
 * by column. Each column has a Postgres expression and an Iceberg rendering that say the same thing
 * the same way (an instant in microseconds for a timestamptz, a decimal without trailing zeros, a
 * JSON object as a sorted map), so the comparison is about values, not formatting.
 */
class TypesIT extends PipelineTestBase {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Microseconds since the epoch; Postgres's +-infinity as the sentinels Debezium (and so Floe)
   * uses: pgjdbc's infinity values, read as microseconds.
   */
  static final String TIMESTAMP_MICROS =
      "case when %1$s is null then null when isfinite(%1$s) then ((extract(epoch from %1$s) * 1000000)::bigint)::text"
          + " when %1$s > 'epoch' then '9223372036825200000' else '-9223372036832400000' end";

  /**
   * A column: its Postgres type, how Postgres renders it, how an Iceberg value renders the same.
   */
  record Column(String name, String type, String pgText, Function<Object, String> icebergText) {}

  static final List<Column> COLUMNS =
      List.of(
          new Column("c_smallint", "smallint", "%s::text", String::valueOf),
          new Column("c_int", "integer", "%s::text", String::valueOf),
          new Column("c_bigint", "bigint", "%s::text", String::valueOf),
          new Column("c_real", "real", "%s::text", v -> String.valueOf(v)),
          new Column("c_double", "double precision", "%s::text", v -> String.valueOf(v)),
          new Column("c_numeric", "numeric(20,5)", "%s::text", TypesIT::plain),
          new Column("c_numeric_free", "numeric", "%s::text", TypesIT::plain),
          new Column("c_money", "money", "%s::numeric::text", TypesIT::plain),
          new Column("c_bool", "boolean", "%s::text", String::valueOf),
          new Column("c_text", "text", "%s", String::valueOf),
          new Column("c_varchar", "varchar(20)", "%s", String::valueOf),
          new Column("c_char", "char(5)", "%s", String::valueOf),
          new Column("c_bytea", "bytea", "encode(%s, 'hex')", TypesIT::hex),
          new Column("c_uuid", "uuid", "%s::text", String::valueOf),
          new Column("c_json", "json", "%s::text", TypesIT::json),
          new Column("c_jsonb", "jsonb", "%s::text", TypesIT::json),
          new Column("c_xml", "xml", "%s::text", String::valueOf),
          new Column("c_enum", "types.mood", "%s::text", String::valueOf),
          new Column(
              "c_date",
              "date",
              "case when %1$s is null then null when isfinite(%1$s) then (%1$s - date '1970-01-01')::text"
                  + " when %1$s > 'epoch' then '2147483647' else '-2147483648' end",
              v -> String.valueOf(((LocalDate) v).toEpochDay())),
          new Column(
              "c_time",
              "time",
              "((extract(epoch from %s) * 1000000)::bigint)::text",
              v -> String.valueOf(((LocalTime) v).toNanoOfDay() / 1000)),
          new Column(
              "c_timetz",
              "timetz",
              "((extract(epoch from (%s at time zone 'UTC')::time) * 1000000)::bigint)::text",
              v ->
                  String.valueOf(
                      OffsetTime.parse((String) v)
                              .withOffsetSameInstant(ZoneOffset.UTC)
                              .toLocalTime()
                              .toNanoOfDay()
                          / 1000)),
          new Column(
              "c_ts",
              "timestamp",
              TIMESTAMP_MICROS,
              v -> micros(((LocalDateTime) v).toInstant(ZoneOffset.UTC))),
          new Column(
              "c_ts3",
              "timestamp(3)",
              TIMESTAMP_MICROS,
              v -> micros(((LocalDateTime) v).toInstant(ZoneOffset.UTC))),
          new Column(
              "c_tstz",
              "timestamptz",
              TIMESTAMP_MICROS,
              v -> micros(((OffsetDateTime) v).toInstant())),
          new Column("c_interval", "interval", "%s::text", TypesIT::interval),
          new Column(
              "c_int_array",
              "integer[]",
              "'[' || array_to_string(%s, '|', 'NULL') || ']'",
              TypesIT::list),
          new Column(
              "c_text_array",
              "text[]",
              "'[' || array_to_string(%s, '|', 'NULL') || ']'",
              TypesIT::list),
          new Column("c_hstore", "hstore", "hstore_to_json(%s)::text", TypesIT::json),
          new Column("c_inet", "inet", "%s", String::valueOf),
          new Column("c_cidr", "cidr", "%s", String::valueOf),
          new Column("c_macaddr", "macaddr", "%s::text", String::valueOf),
          new Column("c_int4range", "int4range", "%s::text", String::valueOf),
          new Column("c_tsrange", "tsrange", "%s::text", String::valueOf),
          new Column(
              "c_point",
              "point",
              "%1$s[0]::text || ',' || %1$s[1]::text",
              v -> {
                Record point = (Record) v;
                return num(point.getField("x")) + "," + num(point.getField("y"));
              }));

  @BeforeAll
  static void startPipeline() throws Exception {
    pipeline = PipelineHarness.start();
    StringBuilder ddl = new StringBuilder("create table types.all_types (id int primary key");
    COLUMNS.forEach(c -> ddl.append(", ").append(c.name()).append(' ').append(c.type()));
    pipeline.sql(
        "create extension if not exists hstore",
        "create schema types",
        "create type types.mood as enum ('sad', 'ok', 'happy')",
        ddl.append(")").toString());
    insert(1, ROW_ORDINARY);
    insert(2, ROW_EDGES);
    pipeline.sql("insert into types.all_types (id) values (3)"); // every column null
    pipeline.startSource(
        "types-source",
        Map.of(
            "topic.prefix",
            "ty",
            "schema.include.list",
            "types",
            "slot.name",
            "ty_slot",
            "publication.name",
            "ty_publication"));
    pipeline.startSink(
        "types-sink", Map.of("topics.regex", "ty\\.types\\..*", "commit.interval.ms", "1000"));
  }

  static final String[] ROW_ORDINARY = {
    "12",
    "123456",
    "9000000000",
    "1.5",
    "2.25",
    "12345.67891",
    "3.14159265358979",
    "12.34",
    "true",
    "'héllo wörld ✓'",
    "'varchar'",
    "'ab'",
    "'\\x00ff10'",
    "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'",
    "'{\"a\": [1, 2], \"b\": null}'",
    "'{\"z\": 1, \"a\": {\"n\": true}}'",
    "'<r><a x=\"1\">t</a></r>'",
    "'happy'",
    "'2024-02-29'",
    "'10:15:30.123456'",
    "'10:15:30.5+02'",
    "'2024-02-29 23:59:59.123456'",
    "'2024-02-29 23:59:59.123'",
    "'2024-02-29 23:59:59.123456+05:30'",
    "'1 year 2 mons 3 days 04:05:06.78'",
    "'{1,2,3}'",
    "'{a,\"b c\",NULL}'",
    "'a=>1, b=>\"x y\"'",
    "'192.168.0.1/24'",
    "'10.0.0.0/8'",
    "'08:00:2b:01:02:03'",
    "'[1,10)'",
    "'[2024-01-01 00:00,2024-02-01 00:00)'",
    "'(1.5,-2.25)'"
  };

  static final String[] ROW_EDGES = {
    "-32768",
    "-2147483648",
    "-9223372036854775808",
    "-3.4e38",
    "1e-300",
    "-999999999999999.99999",
    "0.000000000000000001",
    "-92233720368547758.08",
    "false",
    "''",
    "repeat('x', 20)",
    "'abcde'",
    "''",
    "'00000000-0000-0000-0000-000000000000'",
    "'[]'",
    "'{}'",
    "'<e/>'",
    "'sad'",
    "'0001-01-01'",
    "'00:00:00'",
    "'23:59:59.999999-11'",
    "'1970-01-01 00:00:00'",
    "'1900-01-01 00:00:00.001'",
    "'2262-04-11 23:47:16.854775+00'",
    "'-3 days -00:00:01'",
    "'{}'",
    "'{}'",
    "''",
    "'::1'",
    "'2001:db8::/32'",
    "'ff:ff:ff:ff:ff:ff'",
    "'empty'",
    "'(,)'",
    "'(0,0)'"
  };

  private static void insert(int id, String[] values) throws Exception {
    StringBuilder sql = new StringBuilder("insert into types.all_types values (" + id);
    for (String value : values) {
      sql.append(", ").append(value);
    }
    pipeline.sql(sql.append(")").toString());
  }

  @Test
  void everyTypeArrivesAsPostgresHoldsIt() throws Exception {
    Waits.until(Duration.ofSeconds(120), "the snapshot", () -> icebergRows().size() == 3, () -> "");
    assertEquals(postgresRows(), icebergRows(), "after the snapshot");

    // the same values again through the WAL: updates of every column, and a new row
    pipeline.sql("update types.all_types set id = 10 where id = 1");
    insert(11, ROW_EDGES);
    pipeline.sql("update types.all_types set id = 12 where id = 3");
    Waits.until(
        Duration.ofSeconds(120),
        "the streamed changes",
        () ->
            postgresRows().keySet().containsAll(List.of("10", "11", "12"))
                && postgresRows().equals(icebergRows()),
        () -> "postgres " + postgresRows() + "\n iceberg " + icebergRows());
  }

  /**
   * Postgres's special values: +-infinity timestamps and timestamptz become the sentinels Debezium
   * uses (the largest and smallest timestamps Iceberg holds), and BC dates and timestamps keep
   * their era. Real/double NaN, infinities and -0, date infinities, BC dates on the snapshot and
   * numeric NaN are proved in {@link SpecialValuesIT}.
   */
  @Test
  void specialValuesBecomeTheClosestIcebergHolds() throws Exception {
    pipeline.sql(
        "insert into types.all_types (id, c_ts, c_ts3, c_tstz) values"
            + " (20, 'infinity', '-infinity', '-infinity'), (21, '-infinity', 'infinity', 'infinity')",
        "insert into types.all_types (id, c_date, c_ts, c_tstz) values"
            + " (22, '0044-03-15 BC', '0044-03-15 10:00:00.5 BC', '0044-03-15 10:00:00+02 BC')");
    Waits.until(
        Duration.ofSeconds(120),
        "the special values",
        () -> {
          Map<String, Map<String, String>> iceberg = icebergRows();
          Map<String, Map<String, String>> postgres = postgresRows();
          return iceberg.containsKey("22")
              && postgres.get("20").equals(iceberg.get("20"))
              && postgres.get("21").equals(iceberg.get("21"))
              && postgres.get("22").equals(iceberg.get("22"));
        },
        () -> "postgres " + postgresRows() + "\n iceberg " + icebergRows());
  }

  /** Rows 1 to 3, written before the connectors started. */
  private static Map<String, Map<String, String>> snapshotRows(
      Map<String, Map<String, String>> all) {
    Map<String, Map<String, String>> rows = new TreeMap<>(all);
    rows.keySet().retainAll(List.of("1", "2", "3"));
    return rows;
  }

  private static Map<String, Map<String, String>> postgresRows() throws Exception {
    StringBuilder select = new StringBuilder("select id");
    COLUMNS.forEach(c -> select.append(", ").append(c.pgText().formatted(c.name())));
    Map<String, Map<String, String>> rows = new TreeMap<>();
    try (Connection c = pipeline.postgres();
        Statement st = c.createStatement()) {
      st.execute("set intervalstyle = 'iso_8601'");
      try (ResultSet rs = st.executeQuery(select + " from types.all_types")) {
        while (rs.next()) {
          Map<String, String> row = new LinkedHashMap<>();
          for (int i = 0; i < COLUMNS.size(); i++) {
            Column column = COLUMNS.get(i);
            String text = rs.getString(i + 2);
            row.put(column.name(), text == null ? null : normalizePostgres(column, text));
          }
          rows.put(rs.getString(1), row);
        }
      }
    }
    return rows;
  }

  private static String normalizePostgres(Column column, String text) {
    switch (column.type()) {
      case "real":
        return String.valueOf(Float.valueOf(text));
      case "double precision":
        return String.valueOf(Double.valueOf(text));
      case "numeric(20,5)", "numeric", "money":
        return plain(new BigDecimal(text));
      case "json", "jsonb", "hstore":
        return json(text);
      case "interval":
        return interval(text);
      default:
        return text;
    }
  }

  private static Map<String, Map<String, String>> icebergRows() throws Exception {
    Map<String, Map<String, String>> rows = new TreeMap<>();
    Table table;
    try {
      table = pipeline.table("cdc.types_all_types");
    } catch (org.apache.iceberg.exceptions.NoSuchTableException notYet) {
      return rows;
    }
    try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
      for (Record record : records) {
        Map<String, String> row = new LinkedHashMap<>();
        for (Column column : COLUMNS) {
          Object value = record.getField(column.name());
          row.put(column.name(), value == null ? null : column.icebergText().apply(value));
        }
        rows.put(String.valueOf(record.getField("id")), row);
      }
    }
    return rows;
  }

  private static String plain(Object decimal) {
    // unconstrained numeric is a string column by default (iceberg.tables.unconstrained-numeric)
    BigDecimal value = decimal instanceof String text ? new BigDecimal(text) : (BigDecimal) decimal;
    return value.signum() == 0 ? "0" : value.stripTrailingZeros().toPlainString();
  }

  private static String num(Object number) {
    double d = ((Number) number).doubleValue();
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
  }

  private static String hex(Object bytes) {
    ByteBuffer buffer = ((ByteBuffer) bytes).duplicate();
    byte[] out = new byte[buffer.remaining()];
    buffer.get(out);
    return HexFormat.of().formatHex(out);
  }

  private static String json(Object text) {
    try {
      return String.valueOf(JSON.readTree(String.valueOf(text)));
    } catch (Exception e) {
      return "not json: " + text;
    }
  }

  private static String list(Object value) {
    List<String> items = new ArrayList<>();
    ((List<?>) value).forEach(item -> items.add(item == null ? "NULL" : String.valueOf(item)));
    return "[" + String.join("|", items) + "]";
  }

  private static final java.util.regex.Pattern ISO_INTERVAL =
      java.util.regex.Pattern.compile(
          "P(?:(-?\\d+)Y)?(?:(-?\\d+)M)?(?:(-?\\d+)D)?(?:T(?:(-?\\d+)H)?(?:(-?\\d+)M)?(?:(-?[\\d.]+)S)?)?");

  /**
   * ISO-8601 intervals written with or without their zero parts ("P-3DT-1S", "P0Y0M-3DT0H0M-1S").
   */
  private static String interval(Object text) {
    java.util.regex.Matcher m = ISO_INTERVAL.matcher(String.valueOf(text));
    if (!m.matches()) {
      return "not an interval: " + text;
    }
    List<String> parts = new ArrayList<>();
    for (int i = 1; i <= 6; i++) {
      parts.add(m.group(i) == null ? "0" : plain(new BigDecimal(m.group(i))));
    }
    return String.join(",", parts);
  }

  private static String micros(java.time.Instant instant) {
    return String.valueOf(instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000);
  }
}
