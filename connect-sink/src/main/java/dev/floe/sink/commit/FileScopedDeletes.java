package dev.floe.sink.commit;

import dev.floe.sink.index.KeyIndex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.ManifestReader;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotChanges;
import org.apache.iceberg.Table;
import org.apache.iceberg.util.ContentFileUtil;
import org.apache.iceberg.util.SnapshotUtil;
import org.apache.iceberg.util.ThreadPools;

/**
 * The deletes scoped to each of a flush's data files (a deletion vector, or v2 file-scoped position
 * delete files) in the snapshot its commit is built on, read from that snapshot's delete manifests
 * alone. A scan planned for them read every data manifest too, on Iceberg's worker pool, whose
 * consumer polls every 10 ms: on a table updated all over (each flush touching most data files)
 * that plan grew with the table's manifests and was the largest cost of an update's commit (10 ms
 * at the 10th flush of the update benchmark, 144 ms at the 50th). Several delete manifests are read
 * side by side on that pool and joined, not polled.
 *
 * <p>Whether the data files are still live is told by the commits since the flush found its rows
 * (most often none): one that removed a data file (a compaction) means the positions point at rows
 * that moved. When that history cannot be followed (expired, rolled back), null: the caller plans.
 */
final class FileScopedDeletes {
  private FileScopedDeletes() {}

  /**
   * The file-scoped deletes of {@code dataFiles} in {@code base}, by data file location; null when
   * the snapshot the rows were found in ({@code foundIn}) is not an ancestor of {@code base}.
   *
   * @throws org.apache.iceberg.exceptions.CommitFailedException when a commit since removed one of
   *     them: the flush is written again, finding its rows where they are now
   */
  static Map<String, List<DeleteFile>> of(
      Table table, Snapshot base, long foundIn, Set<String> dataFiles) {
    if (dataFiles.isEmpty()) {
      return Map.of();
    }
    if (base == null || !stillLive(table, base, foundIn, dataFiles)) {
      return null;
    }
    List<ManifestFile> manifests = new ArrayList<>();
    for (ManifestFile manifest : base.deleteManifests(table.io())) {
      if (!Boolean.FALSE.equals(manifest.hasAddedFiles())
          || !Boolean.FALSE.equals(manifest.hasExistingFiles())) {
        manifests.add(manifest); // one of only removed entries holds no live delete
      }
    }
    Map<String, List<DeleteFile>> scoped = new HashMap<>();
    if (manifests.size() == 1) {
      collect(read(table, manifests.get(0), dataFiles), scoped);
      return scoped;
    }
    List<CompletableFuture<List<DeleteFile>>> reads = new ArrayList<>();
    for (ManifestFile manifest : manifests) {
      reads.add(
          CompletableFuture.supplyAsync(
              () -> read(table, manifest, dataFiles), ThreadPools.getWorkerPool()));
    }
    try {
      for (CompletableFuture<List<DeleteFile>> read : reads) {
        collect(read.join(), scoped);
      }
    } catch (CompletionException failed) {
      reads.forEach(read -> read.cancel(false));
      throw failed.getCause() instanceof RuntimeException cause ? cause : failed;
    }
    return scoped;
  }

  /**
   * False when the history from {@code foundIn} to {@code base} cannot be followed; fails when a
   * commit in it removed one of {@code dataFiles}.
   */
  private static boolean stillLive(
      Table table, Snapshot base, long foundIn, Set<String> dataFiles) {
    for (Snapshot snapshot : SnapshotUtil.ancestorsOf(base.snapshotId(), table::snapshot)) {
      if (snapshot.snapshotId() == foundIn) {
        return true;
      }
      if (!KeyIndex.removesDataFiles(snapshot)) {
        continue;
      }
      for (DataFile file :
          SnapshotChanges.builderFor(table).snapshot(snapshot).build().removedDataFiles()) {
        if (dataFiles.contains(file.location())) {
          throw new org.apache.iceberg.exceptions.CommitFailedException(
              "%s: a data file holding rows this flush deletes was rewritten since it found them"
                  + " (%s, snapshot %s); writing it again",
              table.name(), Objects.toString(snapshot.operation()), snapshot.snapshotId());
        }
      }
    }
    return false;
  }

  /** The live deletes of {@code manifest} scoped to one of {@code dataFiles}. */
  private static List<DeleteFile> read(Table table, ManifestFile manifest, Set<String> dataFiles) {
    List<DeleteFile> found = new ArrayList<>();
    try (ManifestReader<DeleteFile> reader =
        ManifestFiles.readDeleteManifest(manifest, table.io(), table.specs())) {
      for (DeleteFile delete : reader) { // live entries, each a copy
        if (ContentFileUtil.isFileScoped(delete)
            && dataFiles.contains(ContentFileUtil.referencedDataFileLocation(delete))) {
          found.add(delete);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return found;
  }

  private static void collect(List<DeleteFile> deletes, Map<String, List<DeleteFile>> scoped) {
    for (DeleteFile delete : deletes) {
      scoped
          .computeIfAbsent(
              ContentFileUtil.referencedDataFileLocation(delete), f -> new ArrayList<>())
          .add(delete);
    }
  }
}
