package dev.floe.bench.pipeline;

import dev.floe.local.PostgresEndpoint;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.concurrent.TimeUnit;

/**
 * Inserts rows into {@code <schema>.events} at a fixed offered rate, open loop: every 10 ms the
 * rows due by the clock are inserted in one statement (one transaction), whether or not the
 * pipeline keeps up, so a slow pipeline shows as staleness, not as a lower rate. Each row's {@code
 * created_at} is Postgres's {@code clock_timestamp()} at the insert.
 */
final class OpenLoopLoad {
  private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  private OpenLoopLoad() {}

  static void createTable(Connection c, String schema) throws Exception {
    try (var st = c.createStatement()) {
      st.execute("create schema " + schema);
      st.execute(
          "create table "
              + schema
              + ".events (id bigint primary key, customer_id bigint not null, status text not null,"
              + " amount numeric(12,2), note text,"
              + " created_at timestamptz not null default clock_timestamp())");
    }
  }

  /** Offers {@code rate} rows a second for {@code seconds}; returns how many it inserted. */
  static long run(PostgresEndpoint postgres, String schema, int rate, int seconds)
      throws Exception {
    try (Connection c =
            DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
        PreparedStatement insert =
            c.prepareStatement(
                "insert into "
                    + schema
                    + ".events (id, customer_id, status, amount, note) select g, g % 5000,"
                    + " 'new', (g % 10000) / 100.0, 'event ' || g from generate_series(?, ?) g")) {
      long start = System.nanoTime();
      long end = start + TimeUnit.SECONDS.toNanos(seconds);
      long inserted = 0;
      for (long tick = start; tick < end; tick += TICK_NANOS) {
        long due = (long) ((tick + TICK_NANOS - start) / 1e9 * rate);
        if (due > inserted) {
          insert.setLong(1, inserted + 1);
          insert.setLong(2, due);
          insert.executeUpdate();
          inserted = due;
        }
        long sleep = tick + TICK_NANOS - System.nanoTime();
        if (sleep > 0) {
          TimeUnit.NANOSECONDS.sleep(sleep);
        }
      }
      return inserted;
    }
  }
}
