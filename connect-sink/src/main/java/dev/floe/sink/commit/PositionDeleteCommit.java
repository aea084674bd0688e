package dev.floe.sink.commit;

import dev.floe.sink.index.SmallPlans;
import dev.floe.sink.write.RowPositions;
import dev.floe.sink.write.TableFlush;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.RowDelta;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DeleteWriteResult;
import org.apache.iceberg.util.ContentFileUtil;

/**
 * Puts a flush's deletes by position into its commit, written against the snapshot the commit is
 * built on. Rows are found at the flush; by the commit another writer may have rewritten their data
 * files (a compaction: the positions mean nothing any more, so the flush is written again, finding
 * the rows where they are now) or given one of them a new deletion vector (another task's delete in
 * a shared file: the new vector takes it in). Iceberg validates what changes between this snapshot
 * and the commit.
 */
final class PositionDeleteCommit {
  private PositionDeleteCommit() {}

  /** Adds the flush's position deletes to {@code delta}; returns the files written for them. */
  static List<DeleteFile> attach(RowDelta delta, TableFlush flush, Snapshot base) {
    RowPositions rows = flush.deletedRows();
    if (rows == null || rows.isEmpty()) {
      return List.of();
    }
    Table table = flush.table();
    Map<String, List<DeleteFile>> previous =
        base != null && base.snapshotId() == rows.readSnapshotId() && rows.deletesRead() != null
            ? rows.deletesRead()
            : deletesNow(table, flush, base);
    DeleteWriteResult written;
    try {
      written = rows.write(table, previous);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    written.deleteFiles().forEach(delta::addDeletes);
    written.rewrittenDeleteFiles().forEach(delta::removeDeletes);
    delta.validateDataFilesExist(rows.existingDataFiles());
    delta.validateDeletedFiles();
    return written.deleteFiles();
  }

  /**
   * Deletes the files of a commit that did not land: nothing references them. The deletion vectors
   * of one commit share a file. A file left behind is only garbage.
   */
  static void discard(Table table, List<DeleteFile> written) {
    RowPositions.discard(table, written);
  }

  /**
   * The deletes scoped to each data file of the flush's rows in {@code base} (a deletion vector, or
   * v2 file-scoped position delete files): the new delete file takes them in and replaces them.
   * Fails with a commit failure that writes the flush again when one of those files is gone. Read
   * from the delete manifests ({@link FileScopedDeletes}) when the commits since the rows were
   * found can be followed, else from a scan planned for the flush's keys.
   */
  private static Map<String, List<DeleteFile>> deletesNow(
      Table table, TableFlush flush, Snapshot base) {
    RowPositions rows = flush.deletedRows();
    Map<String, List<DeleteFile>> read =
        FileScopedDeletes.of(table, base, rows.readSnapshotId(), rows.existingDataFiles());
    return read != null ? read : fileScopedDeletesNow(table, flush, base);
  }

  /** As {@link #deletesNow}, from a scan of {@code base} planned for the flush's keys. */
  private static Map<String, List<DeleteFile>> fileScopedDeletesNow(
      Table table, TableFlush flush, Snapshot base) {
    Set<String> wanted = flush.deletedRows().existingDataFiles();
    Set<String> found = new HashSet<>();
    Map<String, List<DeleteFile>> previous = new HashMap<>();
    if (base != null) {
      try (CloseableIterable<FileScanTask> tasks =
          SmallPlans.scan(table, base).filter(flush.conflictFilter()).planFiles()) {
        for (FileScanTask task : tasks) {
          String path = task.file().location();
          if (wanted.contains(path)) {
            found.add(path);
            task.deletes().stream()
                .filter(ContentFileUtil::isFileScoped)
                .forEach(
                    delete -> previous.computeIfAbsent(path, p -> new ArrayList<>()).add(delete));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    if (found.size() < wanted.size()) {
      throw new CommitFailedException(
          "%s: %s of the data files holding rows this flush deletes were rewritten since it found"
              + " them (a compaction); writing it again",
          table.name(), wanted.size() - found.size());
    }
    return previous;
  }
}
