package dev.floe.verify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.floe.verify.TableResult.RowDifference;
import java.util.List;

/** The report of a run: a table for people, JSON for machines. */
final class VerifyReport {
  private VerifyReport() {}

  static String text(List<TableResult> results) {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            "%-36s %-40s %12s %12s  %s%n",
            "postgres", "iceberg", "pg rows", "iceberg rows", "result"));
    for (TableResult r : results) {
      out.append(
          String.format(
              "%-36s %-40s %12d %12d  %s%n",
              r.postgresTable,
              r.icebergTable,
              r.postgresRows,
              r.icebergRows,
              r.equal() ? "EQUAL" : "DIFFERENT"));
    }
    for (TableResult r : results) {
      if (r.equal()) {
        continue;
      }
      out.append(System.lineSeparator()).append(r.postgresTable).append(':');
      out.append(
          String.format(
              " %d differing key buckets; Postgres at LSN %s, Iceberg snapshot %d (source LSN %s);"
                  + " %d re-checks%n",
              r.differingBuckets,
              r.postgresLsn,
              r.icebergSnapshotId,
              r.icebergSourceLsn,
              r.rechecks));
      r.problems.forEach(p -> out.append("  ").append(p).append(System.lineSeparator()));
      for (RowDifference d : r.differences) {
        out.append("  key ").append(d.key()).append(": ").append(d.kind());
        d.columns()
            .forEach(
                (column, values) ->
                    out.append(
                        String.format(
                            " | %s: postgres %s, iceberg %s",
                            column, values.get(0), values.get(1))));
        out.append(System.lineSeparator());
      }
    }
    return out.toString();
  }

  static String json(List<TableResult> results) {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = mapper.createObjectNode();
    root.put("equal", results.stream().allMatch(TableResult::equal));
    ArrayNode tables = root.putArray("tables");
    for (TableResult r : results) {
      ObjectNode t = tables.addObject();
      t.put("postgres_table", r.postgresTable);
      t.put("iceberg_table", r.icebergTable);
      t.put("equal", r.equal());
      t.put("postgres_rows", r.postgresRows);
      t.put("iceberg_rows", r.icebergRows);
      t.put("differing_buckets", r.differingBuckets);
      t.put("postgres_lsn", r.postgresLsn);
      t.put("iceberg_snapshot_id", r.icebergSnapshotId);
      t.put("iceberg_source_lsn", r.icebergSourceLsn);
      t.put("rechecks", r.rechecks);
      ArrayNode problems = t.putArray("problems");
      r.problems.forEach(problems::add);
      ArrayNode differences = t.putArray("differences");
      for (RowDifference d : r.differences) {
        ObjectNode row = differences.addObject();
        row.put("key", d.key());
        row.put("kind", d.kind());
        ObjectNode columns = row.putObject("columns");
        d.columns()
            .forEach(
                (column, values) -> {
                  ObjectNode pair = columns.putObject(column);
                  pair.put("postgres", values.get(0));
                  pair.put("iceberg", values.get(1));
                });
      }
    }
    try {
      return mapper.writeValueAsString(root) + System.lineSeparator();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
