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
 * A seeded random mix of changes on three tables, in small transactions: inserts, updates (some
 * moving rows between partitions, in Postgres or in Iceberg), deletes, primary-key changes,
 * re-inserts of deleted keys and, when asked, truncates, on a skewed key space (a hot set of keys
 * takes most updates and deletes). {@code chaos.readings} is partitioned in Postgres (by {@code
 * zone}); {@code chaos.events} changes its {@code kind}, which the tests partition Iceberg by. It
 * tracks which keys are live so every statement changes something; the tables themselves are the
 * expected result.
 */
final class RandomWorkload {
  static final String[] DDL = {
    "create schema chaos",
    "create table chaos.accounts (id int primary key, owner text not null, balance numeric(12,2), "
        + "version int not null)",
    "create table chaos.events (id bigint primary key, kind text, payload text, at timestamptz)",
    "create table chaos.readings (id bigint not null, zone int not null, v text,"
        + " primary key (id, zone)) partition by list (zone)",
    "create table chaos.readings_z0 partition of chaos.readings for values in (0)",
    "create table chaos.readings_z1 partition of chaos.readings for values in (1)"
  };

  private static final int HOT_KEYS = 20;
  private final Random random;
  private final Callable<Connection> connections;
  private final List<Long> liveAccounts = new ArrayList<>();
  private final List<Long> deletedAccounts = new ArrayList<>();
  private final List<Long> liveEvents = new ArrayList<>();
  private final List<Long> deletedEvents = new ArrayList<>();
  private final List<Long> liveReadings = new ArrayList<>();
  private final List<Long> deletedReadings = new ArrayList<>();
  private final java.util.Map<Long, Integer> zoneOf = new java.util.HashMap<>();
  private final boolean truncates;
  private long nextId = 1;
  int operations;

  RandomWorkload(long seed, Callable<Connection> connections) {
    this(seed, connections, false);
  }

  /** With {@code truncates}, about one transaction in 700 truncates chaos.accounts. */
  RandomWorkload(long seed, Callable<Connection> connections, boolean truncates) {
    this.random = new Random(seed);
    this.connections = connections;
    this.truncates = truncates;
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
          int table = random.nextInt(3);
          st.execute(
              table == 0
                  ? change("chaos.accounts", liveAccounts, deletedAccounts)
                  : table == 1 ? change("chaos.events", liveEvents, deletedEvents) : reading());
          operations++;
        }
        if (truncates && random.nextInt(700) == 0) {
          st.execute("truncate chaos.accounts");
          deletedAccounts.addAll(liveAccounts);
          liveAccounts.clear();
          operations++;
        }
        c.commit();
      }
    }
  }

  /**
   * Inserts {@code perTable} new rows into chaos.accounts and chaos.events in one transaction, so
   * the comparison at the end has rows to compare even when a truncate came late.
   */
  void finishWithInserts(int perTable) throws Exception {
    try (Connection c = connections.call();
        Statement st = c.createStatement()) {
      c.setAutoCommit(false);
      for (int i = 0; i < perTable; i++) {
        long account = nextId++;
        liveAccounts.add(account);
        st.execute(insert("chaos.accounts", account));
        long event = nextId++;
        liveEvents.add(event);
        st.execute(insert("chaos.events", event));
        operations += 2;
      }
      c.commit();
    }
  }

  private String change(String table, List<Long> live, List<Long> deleted) throws SQLException {
    int dice = random.nextInt(100);
    if (live.size() < 20 || dice < 30) {
      long id = !deleted.isEmpty() && random.nextInt(4) == 0 ? take(deleted) : nextId++;
      live.add(id);
      return insert(table, id);
    }
    long id = pick(live);
    if (dice < 65) {
      return table.endsWith("accounts")
          ? "update chaos.accounts set balance = balance + "
              + (random.nextInt(10_000) - 5000) / 100.0
              + ", version = version + 1 where id = "
              + id
          : "update chaos.events set payload = 'p"
              + random.nextInt()
              + "', kind = 'k"
              + random.nextInt(5)
              + "' where id = "
              + id;
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

  /** A change to the partitioned table: some move a row to the other partition. */
  private String reading() {
    int dice = random.nextInt(100);
    if (liveReadings.size() < 20 || dice < 30) {
      long id =
          !deletedReadings.isEmpty() && random.nextInt(4) == 0 ? take(deletedReadings) : nextId++;
      int zone = random.nextInt(2);
      liveReadings.add(id);
      zoneOf.put(id, zone);
      return "insert into chaos.readings values ("
          + id
          + ", "
          + zone
          + ", 'r"
          + random.nextInt()
          + "')";
    }
    long id = pick(liveReadings);
    if (dice < 60) {
      return "update chaos.readings set v = 'r" + random.nextInt() + "' where id = " + id;
    }
    if (dice < 80) {
      int zone = 1 - zoneOf.get(id);
      zoneOf.put(id, zone);
      return "update chaos.readings set zone = " + zone + " where id = " + id;
    }
    liveReadings.remove(id);
    deletedReadings.add(id);
    return "delete from chaos.readings where id = " + id;
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

  /**
   * A live key, from a skewed key space: three changes in four go to a hot set (the oldest 20 live
   * keys, which move on as hot keys are deleted), the rest to any live key. Hot keys are updated in
   * flush after flush, as in most production tables.
   */
  private long pick(List<Long> live) {
    int hot = Math.min(live.size(), HOT_KEYS);
    return live.get(random.nextInt(4) == 0 ? random.nextInt(live.size()) : random.nextInt(hot));
  }
}
