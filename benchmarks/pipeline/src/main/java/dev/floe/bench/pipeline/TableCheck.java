package dev.floe.bench.pipeline;

import dev.floe.local.LocalStack;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;

/**
 * Whether a run's table holds what was written. Floe's table: {@code floe verify} compares it with
 * Postgres row by row. Apache's: its sink appends and maps Debezium's types its own way (a
 * timestamptz arrives as text), so the check is that the table holds every key of the generated
 * rows (ids 1 to N) exactly once, no more rows.
 */
final class TableCheck {
  private final LocalStack stack;
  private final BenchOptions options;

  TableCheck(LocalStack stack, BenchOptions options) {
    this.stack = stack;
    this.options = options;
  }

  /** floe verify, in a JVM of its own as bin/floe-verify runs it: true when the table is equal. */
  boolean floeVerify(String pgTable) throws Exception {
    Path home = options.root().resolve("verify/target");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-cp");
    command.add(home.resolve("classes") + File.pathSeparator + home.resolve("lib") + "/*");
    command.add("dev.floe.verify.FloeVerify");
    command.addAll(
        List.of(
            "--postgres-url", stack.source().jdbcUrl(),
            "--postgres-user", stack.source().user(),
            "--postgres-password", stack.source().password(),
            "--tables", pgTable));
    stack.catalogProperties().forEach((k, v) -> command.addAll(List.of("--catalog", k + "=" + v)));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    boolean equal = process.waitFor() == 0;
    if (!equal) {
      System.out.println(output);
    }
    return equal;
  }

  /** True when the table's {@code id} column holds 1 to {@code rows}, each once. */
  static boolean everyKeyOnce(Table table, int rows) throws IOException {
    BitSet seen = new BitSet(rows + 1);
    long total = 0;
    long repeated = 0;
    long outside = 0;
    try (CloseableIterable<Record> ids = IcebergGenerics.read(table).select("id").build()) {
      for (Record record : ids) {
        total++;
        Object id = record.getField("id");
        int key = id instanceof Number n ? n.intValue() : -1;
        if (key < 1 || key > rows) {
          outside++;
        } else if (seen.get(key)) {
          repeated++;
        } else {
          seen.set(key);
        }
      }
    }
    boolean right = total == rows && repeated == 0 && outside == 0;
    if (!right) {
      System.out.printf(
          "%s: %d rows for %d keys, %d repeated, %d outside 1..%d%n",
          table.name(), total, rows, repeated, outside, rows);
    }
    return right;
  }
}
