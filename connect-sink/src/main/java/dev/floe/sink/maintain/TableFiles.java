package dev.floe.sink.maintain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileContent;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;

/**
 * The live files of one snapshot of a table: its data files as scan tasks (each with the deletes
 * that apply to it), every delete file (also those that apply to nothing any more), and the figures
 * maintenance decides by and reports.
 */
public record TableFiles(
    Snapshot snapshot, List<FileScanTask> tasks, List<DeleteFile> deletes, int manifests) {

  public static TableFiles of(Table table, Snapshot snapshot) {
    List<FileScanTask> tasks = new ArrayList<>();
    try (CloseableIterable<FileScanTask> planned =
        table.newScan().useSnapshot(snapshot.snapshotId()).planFiles()) {
      planned.forEach(tasks::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<DeleteFile> deletes = new ArrayList<>();
    for (ManifestFile manifest : snapshot.deleteManifests(table.io())) {
      try (CloseableIterable<DeleteFile> files =
          ManifestFiles.readDeleteManifest(manifest, table.io(), table.specs())) {
        files.forEach(file -> deletes.add(file.copy()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return new TableFiles(snapshot, tasks, deletes, snapshot.allManifests(table.io()).size());
  }

  public List<DataFile> dataFiles() {
    List<DataFile> files = new ArrayList<>(tasks.size());
    tasks.forEach(task -> files.add(task.file()));
    return files;
  }

  public int equalityDeleteFiles() {
    return (int) deletes.stream().filter(d -> d.content() == FileContent.EQUALITY_DELETES).count();
  }

  public int positionDeleteFiles() {
    return deletes.size() - equalityDeleteFiles();
  }

  public long dataBytes() {
    return tasks.stream().mapToLong(task -> task.file().fileSizeInBytes()).sum();
  }

  public long averageDataFileBytes() {
    return tasks.isEmpty() ? 0 : dataBytes() / tasks.size();
  }

  /**
   * Data files smaller than three quarters of {@code targetBytes} that share their partition with
   * another small file: merging those makes fewer files; a partition's lone small file stays as it
   * is, or a table of many small partitions would be rewritten at every run for nothing.
   */
  public int smallDataFiles(long targetBytes) {
    Map<String, Integer> byPartition = new HashMap<>();
    for (FileScanTask task : tasks) {
      if (task.file().fileSizeInBytes() < targetBytes * 3 / 4) {
        String partition = task.file().specId() + "/" + task.file().partition();
        byPartition.merge(partition, 1, Integer::sum);
      }
    }
    return byPartition.values().stream().filter(n -> n > 1).mapToInt(Integer::intValue).sum();
  }
}
