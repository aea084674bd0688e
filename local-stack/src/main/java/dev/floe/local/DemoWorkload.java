package dev.floe.local;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Random;

/**
 * A small shop that never sleeps: creates schema {@code demo} (customers, orders) if missing, then
 * keeps inserting, updating and deleting a few rows a second, so the pipeline has something to
 * carry.
 */
final class DemoWorkload implements AutoCloseable {
  private final Thread thread;
  private volatile boolean running = true;

  private DemoWorkload(PostgresEndpoint db) {
    this.thread = new Thread(() -> run(db), "floe-demo-workload");
    thread.setDaemon(true);
  }

  static DemoWorkload start(PostgresEndpoint db) throws SQLException {
    createTables(db);
    DemoWorkload workload = new DemoWorkload(db);
    workload.thread.start();
    return workload;
  }

  /**
   * The demo tables, empty: the example source config captures schema {@code demo}, and the
   * source's preflight refuses a config that captures no table.
   */
  static void createTables(PostgresEndpoint db) throws SQLException {
    try (Connection c = connect(db);
        Statement st = c.createStatement()) {
      st.execute("create schema if not exists demo");
      st.execute(
          "create table if not exists demo.customers (id serial primary key, name text not null, "
              + "email text, tier text, balance numeric(12,2) not null default 0, updated_at timestamptz not null default now())");
      st.execute(
          "create table if not exists demo.orders (id bigserial primary key, customer_id int not null, "
              + "amount numeric(10,2) not null, status text not null, created_at timestamp not null default now())");
    }
  }

  private static Connection connect(PostgresEndpoint db) throws SQLException {
    return DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
  }

  private void run(PostgresEndpoint db) {
    Random random = new Random();
    String[] statuses = {"new", "paid", "shipped", "returned"};
    while (running) {
      try (Connection c = connect(db)) {
        while (running) {
          int choice = random.nextInt(10);
          if (choice < 3) {
            exec(
                c,
                "insert into demo.customers (name, email, tier) values (?, ?, ?)",
                "customer-" + random.nextInt(100_000),
                "c" + random.nextInt(1000) + "@example.com",
                random.nextBoolean() ? "gold" : "basic");
          } else if (choice < 6) {
            exec(
                c,
                "insert into demo.orders (customer_id, amount, status) values ("
                    + (1 + random.nextInt(50))
                    + ", "
                    + random.nextInt(50_000) / 100.0
                    + ", 'new')");
          } else if (choice < 8) {
            exec(
                c,
                "update demo.orders set status = ? where id = (select id from demo.orders order by random() limit 1)",
                statuses[random.nextInt(statuses.length)]);
            exec(
                c,
                "update demo.customers set balance = balance + 1, updated_at = now() "
                    + "where id = (select id from demo.customers order by random() limit 1)");
          } else {
            exec(
                c,
                "delete from demo.orders where id = (select id from demo.orders order by random() limit 1)");
          }
          Thread.sleep(250);
        }
      } catch (InterruptedException e) {
        return;
      } catch (SQLException e) {
        System.err.println("demo workload: " + e.getMessage() + " (retrying)");
        sleepQuietly();
      }
    }
  }

  private static void exec(Connection c, String sql, String... params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setString(i + 1, params[i]);
      }
      ps.execute();
    }
  }

  private static void sleepQuietly() {
    try {
      Thread.sleep(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.interrupt();
    thread.join(5000);
  }
}
