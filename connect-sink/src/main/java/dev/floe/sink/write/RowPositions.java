package dev.floe.sink.write;

import dev.floe.sink.index.KeyLocations;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableUtil;
import org.apache.iceberg.data.BaseDeleteLoader;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.deletes.BaseDVFileWriter;
import org.apache.iceberg.deletes.DeleteGranularity;
import org.apache.iceberg.deletes.PositionDelete;
import org.apache.iceberg.deletes.PositionDeleteIndex;
import org.apache.iceberg.io.DeleteWriteResult;
import org.apache.iceberg.io.FanoutPositionOnlyDeleteWriter;
import org.apache.iceberg.io.OutputFileFactory;

/**
 * The earlier rows a flush deletes by position, by data file. Their delete files are written when
 * the flush is committed, against the table as the commit finds it: a format v3 table allows one
 * deletion vector per data file, so a new one takes in the positions of the one it replaces, which
 * the commit removes, and another task's vector committed meanwhile is taken in by writing again. A
 * format v2 table gets one file-scoped position delete file per data file the same way: the new one
 * takes in the data file's earlier file-scoped deletes and replaces them, so delete files do not
 * pile up flush after flush between compactions.
 */
public final class RowPositions {
  /** No row deleted by position. */
  public static final RowPositions NONE = new RowPositions(-1, Map.of(), Set.of(), 0, 0);

  private record Rows(DataFile file, DeletedPositions positions) {}

  private final long readSnapshotId;
  private final Map<String, List<DeleteFile>> deletesRead;
  private final Set<String> filesRead;
  private final int partitionId;
  private final long taskId;
  private final Map<String, Rows> byFile = new LinkedHashMap<>();
  private int rows;
  private DataFile lastFile;
  private Rows lastRows;
  private final Set<String> written = new java.util.HashSet<>();

  /**
   * @param readSnapshotId the snapshot the rows were found in
   * @param located what a read of that snapshot found, with the deletion vectors of the files it
   *     read; null when no read was needed
   */
  RowPositions(long readSnapshotId, KeyLocations located, int partitionId, long taskId) {
    this(
        readSnapshotId,
        located == null ? Map.of() : located.fileScopedDeletes(),
        located == null ? Set.of() : located.filesRead(),
        partitionId,
        taskId);
  }

  private RowPositions(
      long readSnapshotId,
      Map<String, List<DeleteFile>> deletesRead,
      Set<String> filesRead,
      int partitionId,
      long taskId) {
    this.readSnapshotId = readSnapshotId;
    this.deletesRead = deletesRead;
    this.filesRead = filesRead;
    this.partitionId = partitionId;
    this.taskId = taskId;
  }

  /** Rows of files not committed yet (a compaction's), deleted with their commit. */
  public static RowPositions ofNewFiles(int partitionId, long taskId) {
    return new RowPositions(-1, Map.of(), Set.of(), partitionId, taskId);
  }

  public void delete(KeyLocations.RowAt row) {
    if (row.file() != lastFile) { // rows of a file share its object: its location is made once
      lastFile = row.file();
      lastRows =
          byFile.computeIfAbsent(
              row.file().location(), path -> new Rows(row.file(), new DeletedPositions()));
    }
    lastRows.positions().add(row.position());
    rows++;
  }

  /** Deletes written delete files no commit references (vectors share a file: each once). */
  public static void discard(Table table, List<DeleteFile> written) {
    written.stream()
        .map(DeleteFile::location)
        .distinct()
        .forEach(
            location -> {
              try {
                table.io().deleteFile(location);
              } catch (RuntimeException gone) {
                // only garbage is left
              }
            });
  }

  /** A row of a data file this flush writes: it is added dead, deleted in the same commit. */
  void deleteWritten(KeyLocations.RowAt row) {
    delete(row);
    written.add(row.file().location());
  }

  /** The data files the rows are in that the table holds already (not written by this flush). */
  public Set<String> existingDataFiles() {
    Set<String> existing = new java.util.LinkedHashSet<>(byFile.keySet());
    existing.removeAll(written);
    return existing;
  }

  public boolean isEmpty() {
    return rows == 0;
  }

  /** How many rows are deleted. */
  public int rows() {
    return rows;
  }

  /** The snapshot the rows were found in. */
  public long readSnapshotId() {
    return readSnapshotId;
  }

  /** The locations of the data files the rows are in. */
  public Set<String> dataFiles() {
    return byFile.keySet();
  }

  /**
   * The file-scoped deletes of those data files in the snapshot the rows were found in; null when
   * not all of them were read (rows this task knew where it had written), so they must be looked
   * up.
   */
  public Map<String, List<DeleteFile>> deletesRead() {
    return filesRead.containsAll(existingDataFiles()) ? deletesRead : null;
  }

  /**
   * Writes one delete file per data file, taking in the deletes scoped to that data file it has now
   * ({@code previousNow}, by location): the result's rewritten files are those it replaces, so a
   * data file carries one deletion vector (v3) or one position delete file (v2), not one per flush.
   */
  public DeleteWriteResult write(Table table, Map<String, List<DeleteFile>> previousNow)
      throws IOException {
    boolean vectors = TableUtil.formatVersion(table) >= 3;
    OutputFileFactory names =
        OutputFileFactory.builderFor(table, partitionId, taskId)
            .format(vectors ? FileFormat.PUFFIN : FileFormat.PARQUET)
            .operationId(java.util.UUID.randomUUID().toString())
            .build();
    BaseDeleteLoader loader =
        new BaseDeleteLoader(file -> dev.floe.sink.index.ImmutableFiles.open(table, file));
    Function<CharSequence, PositionDeleteIndex> previous =
        path -> {
          List<DeleteFile> files = previousNow.get(path.toString());
          return files == null || files.isEmpty() ? null : loader.loadPositionDeletes(files, path);
        };
    if (vectors) {
      BaseDVFileWriter writer = new BaseDVFileWriter(names, path -> previous.apply(path));
      try (writer) {
        byFile.forEach(
            (path, rows) -> {
              PartitionSpec spec = table.specs().get(rows.file().specId());
              writer.delete(path, rows.positions(), spec, rows.file().partition());
            });
      }
      return writer.result();
    }
    GenericFileWriterFactory factory =
        new GenericFileWriterFactory.Builder(table).deleteFileFormat(FileFormat.PARQUET).build();
    FanoutPositionOnlyDeleteWriter<Record> writer =
        new FanoutPositionOnlyDeleteWriter<>(
            factory, names, table.io(), Long.MAX_VALUE, DeleteGranularity.FILE, previous);
    try (writer) {
      PositionDelete<Record> delete = PositionDelete.create();
      byFile.forEach(
          (path, rows) -> {
            PartitionSpec spec = table.specs().get(rows.file().specId());
            rows.positions()
                .forEach(pos -> writer.write(delete.set(path, pos), spec, rows.file().partition()));
          });
    }
    return writer.result();
  }
}
