package dev.floe.bench.pipeline;

import dev.floe.local.PostgresEndpoint;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The benchmark's table: {@code <schema>.orders}, an int key and 11 columns of mixed types (the
 * shape of the JMH benchmarks' workload), filled with generated rows.
 */
final class OrdersTable {
  private OrdersTable() {}

  static void create(PostgresEndpoint postgres, String schema, int rows) throws SQLException {
    try (Connection c =
            DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
        Statement st = c.createStatement()) {
      st.execute("create schema " + schema);
      st.execute(
          "create table "
              + schema
              + ".orders (id int primary key, customer_id bigint not null, status text not null,"
              + " amount numeric(12,2), placed_at timestamptz not null, shipped_at timestamp,"
              + " paid boolean, qty smallint, weight double precision, due date, note text,"
              + " sku text)");
      st.execute(
          "insert into "
              + schema
              + ".orders select g, g % 50000, (array['new','paid','shipped','done'])[1 + g % 4],"
              + " (g % 100000) / 100.0, timestamptz '2026-01-01' + g * interval '1 second',"
              + " timestamp '2026-01-02' + g * interval '1 second', g % 2 = 0, (g % 100)::smallint,"
              + " g / 7.0, date '2026-01-01' + g % 365,"
              + " case when g % 5 = 0 then null else 'note ' || g end, 'SKU-' || (g % 9973)"
              + " from generate_series(1, "
              + rows
              + ") g");
    }
  }
}
