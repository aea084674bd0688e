package dev.floe.verify;

import dev.floe.verify.TableResult.RowDifference;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;

/**
 * Compares one Postgres table with its Iceberg table: row counts and bucket digests first (one
 * streamed pass each, memory independent of the table), then only the rows of the buckets that
 * differ, key by key. While changes flow, a key can differ only because the sink has not committed
 * it yet: differing keys are read again on both sides (Postgres now, Iceberg's newest snapshot)
 * once the pipeline has carried what Postgres held at the last look (or every 2 s without Kafka),
 * so a live pipeline shows no false difference.
 */
final class TableVerifier {
  private final Supplier<Connection> postgres;
  private final VerifyOptions options;

  TableVerifier(Supplier<Connection> postgres, VerifyOptions options) {
    this.postgres = postgres;
    this.options = options;
  }

  TableResult verify(String pgTable, Table iceberg) throws Exception {
    TableResult result = new TableResult(pgTable, iceberg.name());
    TableRows.Described described;
    try (Connection db = postgres.get()) {
      described = TableRows.describe(db, pgTable);
    }
    List<String> columns = new ArrayList<>(described.columns());
    if (described.key().isEmpty()) {
      result.problems.add("no primary key: rows cannot be matched by key");
      return result;
    }
    Set<String> icebergColumns = new HashSet<>();
    iceberg.schema().columns().forEach(f -> icebergColumns.add(f.name()));
    List<String> absent = columns.stream().filter(c -> !icebergColumns.contains(c)).toList();
    if (!absent.isEmpty()) {
      result.problems.add("columns not in the Iceberg table: " + absent);
      columns.removeAll(absent);
    }

    int buckets = options.buckets();
    RowDigest pgDigest = new RowDigest(buckets);
    RowDigest icebergDigest = new RowDigest(buckets);
    readPostgres(result, pgTable, described, columns, pgDigest::add);
    iceberg.refresh();
    Snapshot snapshot = iceberg.currentSnapshot();
    noteSnapshot(result, snapshot);
    TableRows.ofIceberg(iceberg, snapshot, described, columns, icebergDigest::add);
    result.postgresRows = pgDigest.rows();
    result.icebergRows = icebergDigest.rows();
    Set<Integer> differing = new HashSet<>(pgDigest.differingBuckets(icebergDigest));
    result.differingBuckets = differing.size();
    if (differing.isEmpty()) {
      return result;
    }

    Look look = look(pgTable, iceberg, described, columns, key -> inBuckets(key, differing));
    result.differences.addAll(recheck(result, pgTable, iceberg, described, columns, look));
    if (result.differences.isEmpty()) {
      result.icebergRows = result.postgresRows; // every differing key converged
    }
    if (result.differences.size() > options.maxDifferences()) {
      result.differences.subList(options.maxDifferences(), result.differences.size()).clear();
    }
    return result;
  }

  /**
   * Reads the differing keys again until each agrees or differs for real. With Kafka known, a key
   * differs for real when, after the sink has carried every change up to the LSN the last look read
   * Postgres at, it still differs and its Postgres row has not changed since that look; without, a
   * key is reported if it still differs when {@code settleMillis} have passed.
   */
  private List<RowDifference> recheck(
      TableResult result,
      String pgTable,
      Table iceberg,
      TableRows.Described described,
      List<String> columns,
      Look look)
      throws Exception {
    List<RowDifference> confirmed = new ArrayList<>();
    SinkProgress progress =
        options.kafkaBootstrap() == null
            ? null
            : new SinkProgress(postgres, options.slot(), options.kafkaBootstrap());
    long deadline = System.currentTimeMillis() + options.settleMillis();
    while (!look.differences().isEmpty() && System.currentTimeMillis() < deadline) {
      if (progress != null) {
        if (!progress.awaitPassed(iceberg, look.lsn(), deadline)) {
          result.problems.add(
              "the sink had not reached the Kafka offsets of Postgres LSN "
                  + look.lsn()
                  + " within --settle-seconds: the differences below may be changes in flight");
          break;
        }
      } else {
        Thread.sleep(Math.min(2_000, Math.max(1, deadline - System.currentTimeMillis())));
      }
      Set<String> keys = new HashSet<>(look.differences().keySet());
      Look again = look(pgTable, iceberg, described, columns, keys::contains);
      result.rechecks++;
      if (progress != null) {
        for (String key : keys) {
          RowDifference still = again.differences().get(key);
          if (still != null
              && java.util.Objects.equals(look.pgRows().get(key), again.pgRows().get(key))) {
            confirmed.add(still); // the sink passed the row's last change, and it differs
            again.differences().remove(key);
          }
        }
      }
      look = again;
    }
    confirmed.addAll(look.differences().values());
    confirmed.sort(java.util.Comparator.comparing(RowDifference::key));
    return confirmed;
  }

  /** The Postgres rows of the keys looked at, the LSN they were read at, and the differences. */
  private record Look(
      String lsn,
      Map<String, Map<String, String>> pgRows,
      Map<String, RowDifference> differences) {}

  private boolean inBuckets(String key, Set<Integer> buckets) {
    return buckets.contains(RowDigest.bucketOf(key, options.buckets()));
  }

  /** The keys accepted by {@code wanted} whose rows differ, reading both sides now. */
  private Look look(
      String pgTable,
      Table iceberg,
      TableRows.Described described,
      List<String> columns,
      java.util.function.Predicate<String> wanted)
      throws Exception {
    Map<String, Map<String, String>> pgRows = new HashMap<>();
    Map<String, Map<String, String>> icebergRows = new HashMap<>();
    // a key Iceberg holds twice: a row an update or delete should have removed (one of the two
    // may equal Postgres's, so comparing the last one read would call it equal)
    Set<String> duplicated = new HashSet<>();
    TableResult scratch = new TableResult(pgTable, iceberg.name());
    readPostgres(
        scratch,
        pgTable,
        described,
        columns,
        (key, row) -> {
          if (wanted.test(key)) {
            pgRows.put(key, row);
          }
        });
    iceberg.refresh();
    TableRows.ofIceberg(
        iceberg,
        iceberg.currentSnapshot(),
        described,
        columns,
        (key, row) -> {
          if (wanted.test(key) && icebergRows.put(key, row) != null) {
            duplicated.add(key);
          }
        });
    Map<String, RowDifference> differences = new TreeMap<>();
    pgRows.forEach(
        (key, row) -> {
          Map<String, String> other = icebergRows.get(key);
          if (other == null) {
            differences.put(key, new RowDifference(key, RowDifference.MISSING, Map.of()));
          } else if (!other.equals(row)) {
            Map<String, List<String>> columnsDiffering = new LinkedHashMap<>();
            row.forEach(
                (column, value) -> {
                  String theirs = other.get(column);
                  if (!java.util.Objects.equals(value, theirs)) {
                    List<String> pair = new ArrayList<>();
                    pair.add(value);
                    pair.add(theirs);
                    columnsDiffering.put(column, pair);
                  }
                });
            differences.put(key, new RowDifference(key, RowDifference.DIFFERENT, columnsDiffering));
          }
        });
    icebergRows.keySet().stream()
        .filter(key -> !pgRows.containsKey(key))
        .forEach(
            key -> differences.put(key, new RowDifference(key, RowDifference.EXTRA, Map.of())));
    duplicated.forEach(
        key -> differences.put(key, new RowDifference(key, RowDifference.DUPLICATE, Map.of())));
    return new Look(scratch.postgresLsn, pgRows, differences);
  }

  /** One read of the Postgres table in a read-only, repeatable-read transaction. */
  private void readPostgres(
      TableResult result,
      String pgTable,
      TableRows.Described described,
      List<String> columns,
      TableRows.Visitor visitor)
      throws Exception {
    try (Connection db = postgres.get()) {
      db.setAutoCommit(false);
      db.setReadOnly(true);
      db.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      try (Statement st = db.createStatement();
          ResultSet lsn = st.executeQuery("select pg_current_wal_lsn()::text")) {
        lsn.next();
        result.postgresLsn = lsn.getString(1);
      }
      TableRows.ofPostgres(db, pgTable, described, columns, options.rowsPerSecond(), visitor);
      db.commit();
    }
  }

  private static void noteSnapshot(TableResult result, Snapshot snapshot) {
    if (snapshot != null) {
      result.icebergSnapshotId = snapshot.snapshotId();
      result.icebergSourceLsn =
          snapshot.summary().get(dev.floe.sink.summary.CommitSummary.SOURCE_LSN);
    }
  }

  /** The name the sink gives the Iceberg table of {@code pgTable} by default. */
  static String icebergName(String namespace, String pgTable) {
    return namespace + "." + pgTable.replace('.', '_');
  }
}
