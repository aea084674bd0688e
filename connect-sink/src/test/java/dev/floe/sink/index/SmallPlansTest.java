package dev.floe.sink.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableScan;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

/**
 * A scan planned in the calling thread finds the files Iceberg's own planning finds, filter and
 * all, and a commit with its manifest work in the calling thread commits what it is given.
 */
class SmallPlansTest {
  private static final Schema ROW = ItemsTable.ROW;

  @Test
  void aSmallScanPlansTheSameFilesInTheCallingThread() throws IOException {
    Table table = ItemsTable.empty();
    for (int commit = 0; commit < 4; commit++) { // a manifest each: Iceberg would use its pool
      SmallPlans.inCallingThread(table.newRowDelta()).addRows(file(commit)).commit();
    }
    assertEquals(4, table.currentSnapshot().allManifests(table.io()).size());

    TableScan inline = SmallPlans.scan(table, table.currentSnapshot());
    assertEquals(planned(table.newScan()), planned(inline));
    assertEquals(4, planned(inline).size());
    assertEquals(
        planned(table.newScan().filter(Expressions.greaterThanOrEqual("id", 200L))),
        planned(inline.filter(Expressions.greaterThanOrEqual("id", 200L))));
    assertTrue(planned(inline.filter(Expressions.greaterThanOrEqual("id", 200L))).size() < 4);
  }

  private static Set<String> planned(TableScan scan) throws IOException {
    Set<String> files = new TreeSet<>();
    try (CloseableIterable<FileScanTask> tasks = scan.planFiles()) {
      tasks.forEach(task -> files.add(task.file().location()));
    }
    return files;
  }

  /** Rows 100 * n .. 100 * n + 99, by their bounds. */
  private static DataFile file(int n) {
    return DataFiles.builder(PartitionSpec.unpartitioned())
        .withPath("/warehouse/items-" + n + ".parquet")
        .withFileSizeInBytes(100)
        .withRecordCount(100)
        .withFormat(org.apache.iceberg.FileFormat.PARQUET)
        .withMetrics(
            new org.apache.iceberg.Metrics(
                100L,
                null,
                null,
                null,
                null,
                Map.of(
                    1,
                    org.apache.iceberg.types.Conversions.toByteBuffer(
                        Types.LongType.get(), 100L * n)),
                Map.of(
                    1,
                    org.apache.iceberg.types.Conversions.toByteBuffer(
                        Types.LongType.get(), 100L * n + 99))))
        .build();
  }
}
