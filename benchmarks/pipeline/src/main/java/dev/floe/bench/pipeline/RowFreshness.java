package dev.floe.bench.pipeline;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.parquet.Parquet;

/**
 * How stale each row was when it became readable: the time of the snapshot that added its data file
 * minus the row's {@code created_at} (when Postgres wrote it), for every row of the table.
 */
final class RowFreshness {
  private final List<Long> millis = new ArrayList<>();

  static RowFreshness of(Table table) throws Exception {
    RowFreshness freshness = new RowFreshness();
    Schema projected = table.schema().select("created_at");
    for (Snapshot snapshot : table.snapshots()) {
      if ("replace".equals(snapshot.operation())) {
        continue; // a compaction's rewrite: the rows were readable before it
      }
      for (DataFile file : snapshot.addedDataFiles(table.io())) {
        try (CloseableIterable<Record> rows =
            Parquet.read(table.io().newInputFile(file.location()))
                .project(projected)
                .createReaderFunc(type -> GenericParquetReaders.buildReader(projected, type))
                .build()) {
          for (Record row : rows) {
            long createdMillis = epochMillis(row.getField("created_at"));
            freshness.millis.add(snapshot.timestampMillis() - createdMillis);
          }
        }
      }
    }
    Collections.sort(freshness.millis);
    return freshness;
  }

  /**
   * Floe's table holds a timestamptz; Apache's sink keeps Debezium's text of it ({@code
   * 2026-12-07T03:20:00.123456Z}).
   */
  private static long epochMillis(Object createdAt) {
    return createdAt instanceof java.time.OffsetDateTime instant
        ? instant.toInstant().toEpochMilli()
        : java.time.Instant.parse(createdAt.toString()).toEpochMilli();
  }

  int rows() {
    return millis.size();
  }

  /** The {@code p}-th percentile (0-100) in seconds. */
  double percentile(double p) {
    if (millis.isEmpty()) {
      return Double.NaN;
    }
    int index = (int) Math.min(millis.size() - 1, Math.ceil(p / 100 * millis.size()) - 1);
    return millis.get(Math.max(0, index)) / 1e3;
  }
}
