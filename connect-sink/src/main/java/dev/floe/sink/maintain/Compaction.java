package dev.floe.sink.maintain;

import dev.floe.sink.summary.CommitSummary;
import dev.floe.sink.write.RowPositions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.RewriteFiles;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.io.FanoutDataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.util.PropertyUtil;

/**
 * Rewrites a table's data files with their deletes applied, and drops every delete file: readers
 * then join nothing. Floe's equality deletes are global (they reach every partition), so every data
 * file older than one of them carries it, and the rewrite takes the whole table as of one snapshot.
 *
 * <p>It is committed as an Iceberg rewrite whose new files keep the data sequence number of that
 * snapshot: an upsert committed meanwhile (its equality deletes have a higher sequence number)
 * still deletes the old row from the rewritten files, so it is neither lost nor revived. A commit
 * that touched a rewritten file by position fails the rewrite's validation; it is dropped and runs
 * again next time.
 */
final class Compaction {
  /** What a run did: whether it rewrote, from how many files to how many. */
  record Outcome(boolean rewrote, int filesBefore, int deleteFilesBefore, int filesAfter) {
    static Outcome skipped(TableFiles files) {
      return new Outcome(false, files.tasks().size(), files.deletes().size(), 0);
    }
  }

  /**
   * How long a rewrite goes on catching up with the flushes committed while it runs before it gives
   * up until the next run. Each catch-up reads only what landed since the last one, and a table the
   * sink commits to several times a second (several tasks, short intervals) makes most of a busy
   * table's rewrites lose a few races (CrashRecoveryIT: up to five in a row); a cap of five
   * attempts gave up on some, leaving the flushes' small files to pile up until a later run won.
   */
  static final long CATCH_UP_BUDGET_MS = 30_000;

  private final Table table;

  Compaction(Table table) {
    this.table = table;
  }

  static boolean due(Table table, TableFiles files, MaintenanceSettings settings) {
    long target = targetFileBytes(table);
    return settings.compaction()
        && (files.deletes().size() >= Math.max(1, settings.compactionMinDeleteFiles())
            || files.smallDataFiles(target) >= Math.max(2, settings.compactionMinSmallFiles()));
  }

  /**
   * Rewrites the files of {@code files}' snapshot. Throws Iceberg's {@code ValidationException} or
   * {@code CommitFailedException} when another commit won the race (its own files are deleted
   * then).
   */
  Outcome run(TableFiles files) {
    for (FileScanTask task : files.tasks()) {
      if (task.file().format() != FileFormat.PARQUET) {
        throw new UnsupportedOperationException(
            "data file "
                + task.file().location()
                + " is "
                + task.file().format()
                + ", not Parquet: compaction reads Parquet only");
      }
    }
    List<DataFile> written = write(files.tasks());
    LaterDeletes later = new LaterDeletes(table, files.snapshot(), files.tasks());
    long giveUpAt = System.nanoTime() + CATCH_UP_BUDGET_MS * 1_000_000L;
    while (true) {
      List<DeleteFile> carried = carried(later, written);
      RewriteFiles rewrite =
          table
              .newRewrite()
              .validateFromSnapshot(later.from())
              .dataSequenceNumber(files.snapshot().sequenceNumber());
      files.tasks().forEach(task -> rewrite.deleteFile(task.file()));
      Set<String> dropped = new HashSet<>();
      for (DeleteFile delete : files.deletes()) {
        if (!later.gone(delete) && dropped.add(delete.location() + "@" + delete.contentOffset())) {
          rewrite.deleteFile(delete);
        }
      }
      later.deleteFiles().forEach(rewrite::deleteFile);
      written.forEach(rewrite::addFile);
      carried.forEach(rewrite::addFile);
      rewrite.set(CommitSummary.MAINTENANCE, "compaction");
      try {
        rewrite.commit();
        break;
      } catch (ValidationException | CommitFailedException lostRace) {
        RowPositions.discard(table, carried);
        table.refresh();
        // the sink's flushes deleted rows of the rewritten files meanwhile: take them in and try
        // again, a short catch-up each time, unless the race cannot be won that way
        if (System.nanoTime() - giveUpAt > 0
            || !(lostRace instanceof ValidationException)
            || !later.catchUp(table.currentSnapshot())) {
          written.forEach(file -> table.io().deleteFile(file.location()));
          throw lostRace;
        }
      }
    }
    return new Outcome(true, files.tasks().size(), files.deletes().size(), written.size());
  }

  /** The deletion vectors of the rows in the rewrite's files that later commits deleted. */
  private List<DeleteFile> carried(LaterDeletes later, List<DataFile> written) {
    RowPositions rows = later.rowsIn(written);
    if (rows.isEmpty()) {
      return List.of();
    }
    try {
      return rows.write(table, java.util.Map.of()).deleteFiles();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private List<DataFile> write(List<FileScanTask> tasks) {
    Schema schema = table.schema();
    GenericFileWriterFactory factory =
        new GenericFileWriterFactory.Builder(table)
            .dataSchema(schema)
            .dataFileFormat(FileFormat.PARQUET)
            .build();
    OutputFileFactory names =
        OutputFileFactory.builderFor(table, 0, System.nanoTime())
            .format(FileFormat.PARQUET)
            .operationId("compaction-" + UUID.randomUUID())
            .build();
    FanoutDataWriter<Record> out =
        new FanoutDataWriter<>(factory, names, table.io(), targetFileBytes(table));
    PartitionKey partition = new PartitionKey(table.spec(), schema);
    InternalRecordWrapper wrapper = new InternalRecordWrapper(schema.asStruct());
    try (out) {
      new LiveRows(table, schema)
          .forEach(
              tasks,
              row -> {
                partition.partition(wrapper.wrap(row));
                out.write(row, table.spec(), partition);
              });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.result().dataFiles();
  }

  private static long targetFileBytes(Table table) {
    return PropertyUtil.propertyAsLong(
        table.properties(),
        TableProperties.WRITE_TARGET_FILE_SIZE_BYTES,
        TableProperties.WRITE_TARGET_FILE_SIZE_BYTES_DEFAULT);
  }
}
