package dev.floe.verify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.floe.sink.summary.CommitSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;

/**
 * {@code floe verify --history TABLE}: the ingestion audit of docs/ingestion-audit.md, read from
 * the table's snapshots (newest first): each commit with its events, source LSN and commit time,
 * the lag from the database's commit to the snapshot, Kafka offsets and maintenance marker.
 */
final class IngestionHistory {
  private static final List<String> KEYS =
      List.of(
          CommitSummary.EVENTS,
          CommitSummary.SOURCE_LSN,
          CommitSummary.SOURCE_TS_MS,
          CommitSummary.OFFSETS,
          CommitSummary.MAINTENANCE);

  private IngestionHistory() {}

  static String of(Table table, int limit, boolean json) throws Exception {
    List<Snapshot> snapshots = new ArrayList<>();
    table.snapshots().forEach(snapshots::add);
    snapshots.sort((a, b) -> Long.compare(b.timestampMillis(), a.timestampMillis()));
    List<Snapshot> shown = snapshots.subList(0, Math.min(limit, snapshots.size()));
    if (json) {
      ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
      ArrayNode rows = mapper.createArrayNode();
      for (Snapshot s : shown) {
        var row = rows.addObject();
        row.put("snapshot_id", s.snapshotId());
        row.put("committed_at_ms", s.timestampMillis());
        row.put("operation", s.operation());
        Map<String, String> summary = s.summary();
        KEYS.forEach(key -> row.put(key, summary.get(key)));
        Long lag = lagMillis(s);
        if (lag != null) {
          row.put("lag_ms", lag);
        }
      }
      return mapper.writeValueAsString(rows) + System.lineSeparator();
    }
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            "%-24s %-20s %-10s %8s %14s %10s  %s%n",
            "committed at", "snapshot", "operation", "events", "source lsn", "lag ms", "offsets"));
    for (Snapshot s : shown) {
      Map<String, String> summary = s.summary();
      Long lag = lagMillis(s);
      String maintenance = summary.get(CommitSummary.MAINTENANCE);
      out.append(
          String.format(
              "%-24s %-20d %-10s %8s %14s %10s  %s%n",
              java.time.Instant.ofEpochMilli(s.timestampMillis()),
              s.snapshotId(),
              s.operation(),
              summary.getOrDefault(CommitSummary.EVENTS, "-"),
              summary.getOrDefault(CommitSummary.SOURCE_LSN, "-"),
              lag == null ? "-" : lag.toString(),
              maintenance != null
                  ? "maintenance: " + maintenance
                  : summary.getOrDefault(CommitSummary.OFFSETS, "-")));
    }
    return out.toString();
  }

  private static Long lagMillis(Snapshot snapshot) {
    String committed = snapshot.summary().get(CommitSummary.SOURCE_TS_MS);
    if (committed == null || committed.startsWith("-")) {
      return null;
    }
    return snapshot.timestampMillis() - Long.parseLong(committed);
  }
}
