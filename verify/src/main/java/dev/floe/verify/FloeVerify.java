package dev.floe.verify;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * {@code floe verify}: compares Postgres tables with the Iceberg tables the sink keeps and says,
 * for people or ({@code --json}) machines, whether each is equal and which rows are not. Exit code
 * 0 only when every table is equal.
 */
public final class FloeVerify {
  private FloeVerify() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out));
  }

  /** Runs the command, printing the report to {@code out}; returns the exit code. */
  public static int run(String[] args, java.io.PrintStream out) {
    VerifyOptions options;
    try {
      options = VerifyOptions.parse(args);
    } catch (Exception bad) {
      System.err.println(bad.getMessage());
      return 2;
    }
    if (options == null) {
      out.println(VerifyOptions.USAGE);
      return 0;
    }
    try {
      if (options.history() != null) {
        out.print(history(options));
        return 0;
      }
      List<TableResult> results = verifyAll(options);
      out.print(options.json() ? VerifyReport.json(results) : VerifyReport.text(results));
      return results.stream().allMatch(TableResult::equal) ? 0 : 1;
    } catch (Exception | LinkageError failed) {
      System.err.println("floe verify: " + failed);
      return 2;
    }
  }

  private static String history(VerifyOptions options) throws Exception {
    Catalog catalog =
        CatalogUtil.buildIcebergCatalog(
            options.catalogName(), options.catalog(), new org.apache.hadoop.conf.Configuration());
    try {
      String table = options.history();
      String name =
          table.startsWith(options.namespace() + ".")
              ? table
              : TableVerifier.icebergName(options.namespace(), table);
      return IngestionHistory.of(
          catalog.loadTable(TableIdentifier.parse(name)), 50, options.json());
    } finally {
      if (catalog instanceof AutoCloseable closeable) {
        closeable.close();
      }
    }
  }

  static List<TableResult> verifyAll(VerifyOptions options) throws Exception {
    Supplier<Connection> postgres =
        () -> {
          try {
            return DriverManager.getConnection(
                options.postgresUrl(), options.postgresUser(), options.postgresPassword());
          } catch (SQLException e) {
            throw new IllegalStateException("cannot reach Postgres: " + e.getMessage(), e);
          }
        };
    Catalog catalog =
        CatalogUtil.buildIcebergCatalog(
            options.catalogName(), options.catalog(), new org.apache.hadoop.conf.Configuration());
    try {
      List<String> tables = options.tables();
      if (tables.isEmpty()) {
        tables = tablesWithIcebergTables(postgres, catalog, options.namespace());
      }
      TableVerifier verifier = new TableVerifier(postgres, options);
      List<TableResult> results = new ArrayList<>();
      for (String table : tables) {
        TableIdentifier id =
            TableIdentifier.parse(TableVerifier.icebergName(options.namespace(), table));
        if (!catalog.tableExists(id)) {
          TableResult missing = new TableResult(table, id.toString());
          missing.problems.add("no Iceberg table " + id);
          results.add(missing);
          continue;
        }
        Table iceberg = catalog.loadTable(id);
        results.add(verifier.verify(table, iceberg));
      }
      return results;
    } finally {
      if (catalog instanceof AutoCloseable closeable) {
        closeable.close();
      }
    }
  }

  /** The Postgres tables whose Iceberg table (by the sink's default naming) exists. */
  private static List<String> tablesWithIcebergTables(
      Supplier<Connection> postgres, Catalog catalog, String namespace) throws SQLException {
    List<String> existing = new ArrayList<>();
    catalog.listTables(Namespace.of(namespace)).forEach(id -> existing.add(id.name()));
    List<String> tables = new ArrayList<>();
    try (Connection db = postgres.get();
        var rs =
            db.createStatement()
                .executeQuery(
                    "select table_schema || '.' || table_name from information_schema.tables"
                        + " where table_type = 'BASE TABLE' and table_schema not in"
                        + " ('pg_catalog', 'information_schema') order by 1")) {
      while (rs.next()) {
        String table = rs.getString(1);
        if (existing.contains(table.replace('.', '_'))) {
          tables.add(table);
        }
      }
    }
    return tables;
  }
}
