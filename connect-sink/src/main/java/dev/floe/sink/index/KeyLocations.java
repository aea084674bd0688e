package dev.floe.sink.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.util.ContentFileUtil;

/**
 * Where the live rows of some keys are in one snapshot of a table: data file and row position, so
 * that a flush deletes an earlier row by position (a deletion vector, or a position delete in a
 * format v2 table) instead of by equality, which every reader would have to join. Only the data
 * files whose partition and column bounds admit the keys are opened, and of those only the key
 * columns are read; every delete already committed applies, so a row deleted before is not found.
 */
public final class KeyLocations {
  /** A live row: its data file and its position in it. */
  public record RowAt(DataFile file, long position) {
    /** A row written where it cannot be told (no file): the key is live, its place unknown. */
    public static final RowAt UNPLACED = new RowAt(null, -1);
  }

  private final long snapshotId;
  private final KeyMap<List<RowAt>> byKey;
  private final Map<String, List<DeleteFile>> ownDeletes;
  private final java.util.Set<String> filesRead;

  private KeyLocations(
      long snapshotId,
      KeyMap<List<RowAt>> byKey,
      Map<String, List<DeleteFile>> ownDeletes,
      java.util.Set<String> filesRead) {
    this.snapshotId = snapshotId;
    this.byKey = byKey;
    this.ownDeletes = ownDeletes;
    this.filesRead = filesRead;
  }

  /** The data files read: their file-scoped deletes are known. */
  public java.util.Set<String> filesRead() {
    return filesRead;
  }

  /**
   * The rows of {@code keys} in {@code snapshot} (null: an empty table); null when a data file that
   * may hold them is not Parquet (another writer's), which this reader does not read.
   */
  public static KeyLocations find(
      Table table,
      Snapshot snapshot,
      Schema keySchema,
      Collection<Record> keys,
      Expression keyFilter) {
    KeyMap<List<RowAt>> byKey = KeyMap.create(keySchema.asStruct());
    Map<String, List<DeleteFile>> ownDeletes = new HashMap<>();
    java.util.Set<String> filesRead = new java.util.HashSet<>();
    if (snapshot == null || keys.isEmpty()) {
      return new KeyLocations(
          snapshot == null ? -1 : snapshot.snapshotId(), byKey, ownDeletes, filesRead);
    }
    List<FileScanTask> tasks = new ArrayList<>();
    try (CloseableIterable<FileScanTask> planned =
        SmallPlans.scan(table, snapshot).filter(keyFilter).planFiles()) {
      for (FileScanTask task : planned) {
        if (task.file().format() != FileFormat.PARQUET) {
          return null;
        }
        tasks.add(task);
        filesRead.add(task.file().location());
        for (DeleteFile delete : task.deletes()) {
          if (ContentFileUtil.isFileScoped(delete)) {
            ownDeletes
                .computeIfAbsent(task.file().location(), path -> new ArrayList<>())
                .add(delete);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Set<StructLike> wanted = KeyMap.setOf(keySchema.asStruct());
    wanted.addAll(keys);
    RowReader reader =
        new RowReader(
            table, table.schemas().get(snapshot.schemaId()), keySchema, keyFilter, wanted);
    // the reads wait on the object store far more than they compute: several at once, waited for
    // by their futures (Iceberg's Tasks polls, sleeping 10 ms at a time)
    java.util.concurrent.CompletableFuture<?>[] reads =
        tasks.stream()
            .map(
                task ->
                    java.util.concurrent.CompletableFuture.runAsync(
                        () -> {
                          List<Map.Entry<Record, RowAt>> found = reader.liveRows(task);
                          synchronized (byKey) {
                            found.forEach(
                                row ->
                                    byKey
                                        .computeIfAbsent(row.getKey(), k -> new ArrayList<>(1))
                                        .add(row.getValue()));
                          }
                        },
                        READS))
            .toArray(java.util.concurrent.CompletableFuture<?>[]::new);
    try {
      java.util.concurrent.CompletableFuture.allOf(reads).join(); // all done, failed or not
    } catch (java.util.concurrent.CompletionException failed) {
      if (failed.getCause() instanceof Error error) {
        throw error;
      }
      throw failed.getCause() instanceof RuntimeException cause ? cause : failed;
    }
    return new KeyLocations(snapshot.snapshotId(), byKey, ownDeletes, filesRead);
  }

  private static final java.util.concurrent.ExecutorService READS =
      org.apache.iceberg.util.ThreadPools.newFixedThreadPool("floe-key-locations", 8);

  /** The snapshot the rows were found in. */
  public long snapshotId() {
    return snapshotId;
  }

  /** The live rows of {@code key}: none when the snapshot does not hold it. */
  public List<RowAt> of(StructLike key) {
    List<RowAt> rows = byKey.get(key);
    return rows == null ? List.of() : rows;
  }

  /**
   * The deletes scoped to one data file (its deletion vector, or v2 file-scoped position delete
   * files) of each data file read that had any, by data file location.
   */
  public Map<String, List<DeleteFile>> fileScopedDeletes() {
    return ownDeletes;
  }
}
