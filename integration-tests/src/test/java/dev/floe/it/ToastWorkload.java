package dev.floe.it;

import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;

/**
 * A seeded random mix of changes on tables whose large values Postgres stores out of line (TOAST),
 * under the default replica identity: inserts and re-inserts, updates that leave the large columns
 * alone (Debezium then sends placeholders for them), updates that rewrite one, deletes, and
 * primary-key changes with and without other changes. Each table is {@code (id bigint primary key,
 * version int not null, note text, body text, doc jsonb, nums int[])}, or keyed by a {@code uuid}
 * ({@link #UUID_KEYS}); the tables themselves are the expected result.
 */
final class ToastWorkload {
  private final Random random;
  private final Callable<Connection> connections;
  private final List<Table> tables = new ArrayList<>();
  private long nextId = 1;
  int operations;

  private static final class Table {
    final String name;
    final KeyKind kind;
    final List<Long> live = new ArrayList<>();
    final List<Long> deleted = new ArrayList<>();

    Table(String name) {
      this.name = name;
      this.kind = KeyKind.of(name);
    }
  }

  /**
   * How a table is keyed, told by the end of its name: {@code id bigint} by default; {@value
   * #UUID_KEYS}: {@code id uuid}, in no order (as most uuid keys are); {@value #TEXT_KEYS}: {@code
   * id text} beyond ASCII; {@value #PAIR_KEYS}: {@code (region text, at timestamptz)}.
   */
  enum KeyKind {
    NUMBER("id bigint primary key", "id"),
    UUID("id uuid primary key", "id"),
    TEXT("id text primary key", "id"),
    PAIR("region text, at timestamptz, primary key (region, at)", "region", "at");

    final String columns;
    final String[] keyColumns;

    KeyKind(String columns, String... keyColumns) {
      this.columns = columns;
      this.keyColumns = keyColumns;
    }

    static KeyKind of(String table) {
      return table.endsWith(UUID_KEYS)
          ? UUID
          : table.endsWith(TEXT_KEYS) ? TEXT : table.endsWith(PAIR_KEYS) ? PAIR : NUMBER;
    }

    /** Key {@code n}'s values in SQL, in the order of the key columns. */
    String[] values(long n) {
      return switch (this) {
        case NUMBER -> new String[] {Long.toString(n)};
        case UUID -> new String[] {"md5('" + n + "')::uuid"};
        case TEXT -> new String[] {"'ключ " + n + " \uD83D\uDE00'"};
        case PAIR ->
            new String[] {
              "'r" + n % 3 + "'", "timestamptz '2026-01-01 00:00:00+00' + interval '" + n + " ms'"
            };
      };
    }

    /** The condition that picks key {@code n}'s row. */
    String where(long n) {
      String[] values = values(n);
      StringBuilder where = new StringBuilder(" where ");
      for (int i = 0; i < values.length; i++) {
        where.append(i == 0 ? "" : " and ").append(keyColumns[i]).append(" = ").append(values[i]);
      }
      return where.toString();
    }

    /** The assignments that give a row key {@code n}. */
    String set(long n) {
      String[] values = values(n);
      StringBuilder set = new StringBuilder();
      for (int i = 0; i < values.length; i++) {
        set.append(i == 0 ? "" : ", ").append(keyColumns[i]).append(" = ").append(values[i]);
      }
      return set.toString();
    }
  }

  static final String UUID_KEYS = "_uuid";
  static final String TEXT_KEYS = "_text";
  static final String PAIR_KEYS = "_pair";

  ToastWorkload(long seed, Callable<Connection> connections, String... tables) {
    this.random = new Random(seed);
    this.connections = connections;
    for (String table : tables) {
      this.tables.add(new Table(table));
    }
  }

  /** The DDL of one table: large columns kept uncompressed, so each large value is out of line. */
  static String[] ddl(String table) {
    return new String[] {
      "create table "
          + table
          + " ("
          + KeyKind.of(table).columns
          + ", version int not null, note text, body text, doc jsonb,"
          + " nums int[])",
      "alter table " + table + " alter column body set storage external",
      "alter table " + table + " alter column doc set storage external",
      "alter table " + table + " alter column nums set storage external"
    };
  }

  /** Runs {@code transactions} transactions of one to four changes each. */
  void run(int transactions) throws Exception {
    try (Connection c = connections.call();
        Statement st = c.createStatement()) {
      c.setAutoCommit(false);
      for (int t = 0; t < transactions; t++) {
        int changes = 1 + random.nextInt(4);
        for (int i = 0; i < changes; i++) {
          st.execute(change(tables.get(random.nextInt(tables.size()))));
          operations++;
        }
        c.commit();
      }
    }
  }

  private String change(Table table) {
    int dice = random.nextInt(100);
    if (table.live.size() < 10 || dice < 22) {
      long id = !table.deleted.isEmpty() && random.nextInt(4) == 0 ? take(table.deleted) : nextId++;
      table.live.add(id);
      return "insert into "
          + table.name
          + " values ("
          + String.join(", ", table.kind.values(id))
          + ", 0, 'n"
          + random.nextInt(1000)
          + "', "
          + body()
          + ", "
          + doc()
          + ", "
          + nums()
          + ")";
    }
    long id = table.live.get(random.nextInt(table.live.size()));
    String where = table.kind.where(id);
    if (dice < 55) { // only small columns: the large ones arrive as placeholders
      return "update "
          + table.name
          + " set version = version + 1, note = 'n"
          + random.nextInt(1000)
          + "'"
          + where;
    }
    if (dice < 62) {
      return "update " + table.name + " set version = version + 1, body = " + body() + where;
    }
    if (dice < 67) {
      return "update " + table.name + " set doc = " + doc() + ", nums = " + nums() + where;
    }
    if (dice < 70) { // one element: the whole array is sent again
      return "update " + table.name + " set nums[1] = " + random.nextInt(1000) + where;
    }
    table.live.remove(id);
    if (dice < 84) {
      table.deleted.add(id);
      return "delete from " + table.name + where;
    }
    long newId = nextId++; // a primary-key change: a delete of id and a create of newId
    table.live.add(newId);
    table.deleted.add(id);
    return "update "
        + table.name
        + " set "
        + table.kind.set(newId)
        + (dice < 92 ? "" : ", version = version + 1, note = 'moved'")
        + where;
  }

  /** A large text most of the time (about 6 KB), else a short one or null. */
  private String body() {
    int dice = random.nextInt(10);
    return dice < 7
        ? "repeat(md5(random()::text), " + (150 + random.nextInt(100)) + ")"
        : dice < 9 ? "'short " + random.nextInt() + "'" : "null";
  }

  private String doc() {
    return random.nextInt(10) < 7
        ? "jsonb_build_object('k', repeat(md5(random()::text), 100), 'n', "
            + random.nextInt(1000)
            + ")"
        : "'{\"small\": true}'";
  }

  private String nums() {
    return random.nextInt(10) < 7
        ? "array(select (random() * 1000000)::int from generate_series(1, 1200))"
        : "'{1,2,3}'";
  }

  private long take(List<Long> ids) {
    return ids.remove(random.nextInt(ids.size()));
  }
}
