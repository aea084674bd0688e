package dev.floe.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.floe.verify.PostgresRendering;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Test;

/**
 * The checks of {@link TypesIT} (JSON) and {@link AvroTypesIT} (Avro), each of which starts its own
 * pipeline and calls {@link #createTable()} before its connectors. One table with a column of every
 * Postgres type Floe maps, written with ordinary and edge values, through the snapshot and then the
 * WAL; what Iceberg returns must mean what Postgres holds, column by column. Each column has a
 * Postgres expression and an Iceberg rendering that say the same thing the same way (an instant in
 * microseconds for a timestamptz, a decimal without trailing zeros, a JSON object as a sorted map),
 * so the comparison is about values, not formatting.
 */
abstract class TypeMappingChecks extends PipelineTestBase {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * A column and its Postgres type. How Postgres renders it and how the Iceberg value renders the
   * same are {@code floe verify}'s renderings ({@link PostgresRendering}): this test proves them
   * for every mapped type, so floe verify compares every type exactly.
   */
  record Column(String name, String type) {
    PostgresRendering rendering() {
      return PostgresRendering.of(type);
    }
  }

  static final List<Column> COLUMNS =
      List.of(
          new Column("c_smallint", "smallint"),
          new Column("c_int", "integer"),
          new Column("c_bigint", "bigint"),
          new Column("c_real", "real"),
          new Column("c_double", "double precision"),
          new Column("c_numeric", "numeric(20,5)"),
          new Column("c_numeric_free", "numeric"),
          new Column("c_money", "money"),
          new Column("c_bool", "boolean"),
          new Column("c_text", "text"),
          new Column("c_varchar", "varchar(20)"),
          new Column("c_char", "char(5)"),
          new Column("c_bytea", "bytea"),
          new Column("c_uuid", "uuid"),
          new Column("c_json", "json"),
          new Column("c_jsonb", "jsonb"),
          new Column("c_xml", "xml"),
          new Column("c_enum", "types.mood"),
          new Column("c_date", "date"),
          new Column("c_time", "time"),
          new Column("c_timetz", "timetz"),
          new Column("c_ts", "timestamp"),
          new Column("c_ts3", "timestamp(3)"),
          new Column("c_tstz", "timestamptz"),
          new Column("c_interval", "interval"),
          new Column("c_int_array", "integer[]"),
          new Column("c_text_array", "text[]"),
          new Column("c_hstore", "hstore"),
          new Column("c_inet", "inet"),
          new Column("c_cidr", "cidr"),
          new Column("c_macaddr", "macaddr"),
          new Column("c_int4range", "int4range"),
          new Column("c_tsrange", "tsrange"),
          new Column("c_point", "point"),
          new Column("c_bit", "bit(1)"),
          new Column("c_bits", "bit(5)"),
          new Column("c_varbit", "varbit"));

  /** The table with a column of every type, its rows 1 to 3 written before the connectors start. */
  static void createTable() throws Exception {
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
  }

  /** {@link #createTable()}, then the source and the sink of the pipeline's example configs. */
  static void createTableAndConnectors() throws Exception {
    createTable();
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
    "'(1.5,-2.25)'",
    "B'1'",
    "B'00101'",
    "B'1011'"
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
    "'(0,0)'",
    "B'0'",
    "B'00000'",
    "B''"
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

    // floe verify, by the same renderings, finds the table equal: every type compares exactly
    VerifyCommand.Result verified =
        VerifyCommand.run(
            pipeline,
            List.of(
                "--tables", "types.all_types",
                "--kafka-bootstrap", pipeline.stack.kafka().bootstrapServers(),
                "--slot", "ty_slot",
                "--settle-seconds", "60"));
    assertEquals(0, verified.exitCode(), verified.output());
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
    COLUMNS.forEach(c -> select.append(", ").append(c.rendering().sql().formatted(c.name())));
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
            row.put(column.name(), text == null ? null : column.rendering().postgres().apply(text));
          }
          rows.put(rs.getString(1), row);
        }
      }
    }
    return rows;
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
          row.put(column.name(), value == null ? null : column.rendering().iceberg().apply(value));
        }
        rows.put(String.valueOf(record.getField("id")), row);
      }
    }
    return rows;
  }
}
