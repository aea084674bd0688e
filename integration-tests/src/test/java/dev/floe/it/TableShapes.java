package dev.floe.it;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileContent;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;

/**
 * What a table looks like to readers while the pipeline runs, sampled on a timer: live data files
 * and their bytes, the delete files they carry by kind, and the snapshots kept. A soak asserts
 * these stay bounded, not only that the end state is lean.
 */
final class TableShapes implements AutoCloseable {
  /** One look at the table. */
  record Shape(
      long atMs,
      int dataFiles,
      long dataBytes,
      int equalityDeletes,
      int positionDeletes,
      int snapshots,
      long oldestSnapshotAgeMs) { // before the sink's newest commit
    @Override
    public String toString() {
      return String.format(
          "t=%ds data=%d (%d KiB) eq=%d pos=%d snapshots=%d oldest=%ds",
          atMs / 1000,
          dataFiles,
          dataBytes / 1024,
          equalityDeletes,
          positionDeletes,
          snapshots,
          oldestSnapshotAgeMs / 1000);
    }
  }

  private final List<Shape> shapes = new ArrayList<>();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final long started = System.currentTimeMillis();

  TableShapes(Function<String, Table> tables, String name, long everyMs) {
    timer.scheduleWithFixedDelay(
        () -> {
          try {
            Shape shape = look(tables.apply(name));
            synchronized (shapes) {
              shapes.add(shape);
            }
          } catch (RuntimeException notYet) {
            // the table does not exist yet, or a commit removed a file while planning: next time
          }
        },
        everyMs,
        everyMs,
        TimeUnit.MILLISECONDS);
  }

  private Shape look(Table table) {
    int dataFiles = 0;
    long dataBytes = 0;
    java.util.Set<String> equality = new java.util.HashSet<>();
    java.util.Set<String> position = new java.util.HashSet<>();
    try (CloseableIterable<FileScanTask> files = table.newScan().planFiles()) {
      for (FileScanTask file : files) {
        dataFiles++;
        dataBytes += file.file().fileSizeInBytes();
        for (DeleteFile delete : file.deletes()) {
          String id = delete.location() + "@" + delete.contentOffset();
          (delete.content() == FileContent.EQUALITY_DELETES ? equality : position).add(id);
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    int snapshots = 0;
    long oldest = Long.MAX_VALUE;
    long newest = 0;
    for (Snapshot snapshot : table.snapshots()) {
      snapshots++;
      oldest = Math.min(oldest, snapshot.timestampMillis());
      if (snapshot.summary().containsKey("floe.kafka.next-offsets")) {
        // expiry counts back from the sink's newest commit, not from a maintenance commit
        newest = Math.max(newest, snapshot.timestampMillis());
      }
    }
    return new Shape(
        System.currentTimeMillis() - started,
        dataFiles,
        dataBytes,
        equality.size(),
        position.size(),
        snapshots,
        snapshots == 0 || newest == 0 ? 0 : newest - oldest);
  }

  List<Shape> shapes() {
    synchronized (shapes) {
      return List.copyOf(shapes);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
