package dev.floe.it;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;

/**
 * A seeded random mix of changes on two tables, in small transactions: inserts, updates, deletes,
 * primary-key changes and re-inserts of deleted keys. It tracks which keys are live so every
 * statement changes something; the tables themselves are the expected result.
 */
final class RandomWorkload {
  static final String[] DDL = {
    "create schema chaos",
    "create table chaos.accounts (id int primary key, owner text not null, balance numeric(12,2), "
        + "version int not null)",
    "create table chaos.events (id bigint primary key, kind text, payload text, at timestamptz)"
  };

  private final Random random;
  private final Callable<Connection> connections;
  private final List<Long> liveAccounts = new ArrayList<>();
  private final List<Long> deletedAccounts = new ArrayList<>();
  private final List<Long> liveEvents = new ArrayList<>();
  private final List<Long> deletedEvents = new ArrayList<>();
  private long nextId = 1;
  int operations;

  RandomWorkload(long seed, Callable<Connection> connections) {
    this.random = new Random(seed);
    this.connections = connections;
  }

  /** Runs {@code transactions} transactions of one to five changes each. */
  void run(int transactions) throws Exception {
    runUntil(() -> true, transactions, 0);
  }

  /**
   * Runs transactions of one to five changes each, at least {@code minTransactions}, then until
   * {@code stop} says so, pausing {@code pauseMs} between transactions.
   */
  void runUntil(BooleanSupplier stop, int minTransactions, long pauseMs) throws Exception {
    try (Connection c = connections.call();
        Statement st = c.createStatement()) {
      c.setAutoCommit(false);
      for (int t = 0; t < minTransactions || !stop.getAsBoolean(); t++) {
        if (pauseMs > 0) {
          Thread.sleep(pauseMs);
        }
        int changes = 1 + random.nextInt(5);
        for (int i = 0; i < changes; i++) {
          boolean accounts = random.nextBoolean();
          st.execute(
              accounts
                  ? change("chaos.accounts", liveAccounts, deletedAccounts)
                  : change("chaos.events", liveEvents, deletedEvents));
          operations++;
        }
        c.commit();
      }
    }
  }

  private String change(String table, List<Long> live, List<Long> deleted) throws SQLException {
    int dice = random.nextInt(100);
    if (live.size() < 20 || dice < 30) {
      long id = !deleted.isEmpty() && random.nextInt(4) == 0 ? take(deleted) : nextId++;
      live.add(id);
      return insert(table, id);
    }
    long id = live.get(random.nextInt(live.size()));
    if (dice < 65) {
      return table.endsWith("accounts")
          ? "update chaos.accounts set balance = balance + "
              + (random.nextInt(10_000) - 5000) / 100.0
              + ", version = version + 1 where id = "
              + id
          : "update chaos.events set payload = 'p" + random.nextInt() + "' where id = " + id;
    }
    live.remove(id);
    if (dice < 85) {
      deleted.add(id);
      return "delete from " + table + " where id = " + id;
    }
    long newId =
        nextId++; // a primary-key change: Debezium sends a delete of id and a create of newId
    live.add(newId);
    deleted.add(id);
    return "update " + table + " set id = " + newId + " where id = " + id;
  }

  private String insert(String table, long id) {
    return table.endsWith("accounts")
        ? "insert into chaos.accounts values ("
            + id
            + ", 'owner "
            + id
            + "', "
            + random.nextInt(100_000) / 100.0
            + ", 0)"
        : "insert into chaos.events values ("
            + id
            + ", 'k"
            + random.nextInt(5)
            + "', 'p"
            + random.nextInt()
            + "', now())";
  }

  private long take(List<Long> ids) {
    return ids.remove(random.nextInt(ids.size()));
  }
}
