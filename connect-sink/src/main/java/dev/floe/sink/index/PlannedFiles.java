package dev.floe.sink.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.util.ContentFileUtil;

/**
 * The data files of one snapshot, each with the deletes that apply to it, as a build of the key
 * index reads them; with their rows, and of those the rows no deletion vector removes (what the
 * places of live rows are sized for: other deletes are not counted without reading them).
 */
record PlannedFiles(List<FileScanTask> tasks, long rows, long liveRows) {
  /** The files of {@code snapshot} (none when null: an empty table). */
  static PlannedFiles of(Table table, Snapshot snapshot) {
    List<FileScanTask> tasks = new ArrayList<>();
    long rows = 0;
    long live = 0;
    if (snapshot != null) {
      try (CloseableIterable<FileScanTask> planned =
          table.newScan().useSnapshot(snapshot.snapshotId()).planFiles()) {
        for (FileScanTask task : planned) {
          tasks.add(task);
          rows += task.file().recordCount();
          live += task.file().recordCount();
          for (DeleteFile delete : task.deletes()) {
            if (ContentFileUtil.isDV(delete)) {
              live -= delete.recordCount(); // its deleted positions
            }
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return new PlannedFiles(tasks, rows, live);
  }
}
