package dev.floe.sink.index;

import org.apache.iceberg.ContentFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.ContentCache;
import org.apache.iceberg.io.InputFile;

/**
 * Small data and delete files, kept in memory once read: the sink reads the same recent files at
 * every flush (to find the rows it deletes by position, their deletion vectors, the equality
 * deletes that apply), and a table's files never change once written, so a copy is never stale.
 * Files over 8 MB are read from the object store each time; the worker keeps at most 128 MB, the
 * least recently read going first, and drops a file not read for 5 minutes.
 */
public final class ImmutableFiles {
  private static final ContentCache CACHE = new ContentCache(5 * 60_000L, 128L << 20, 8L << 20);

  private ImmutableFiles() {}

  /** {@code file} of {@code table}, from memory when it was read before. */
  public static InputFile open(Table table, ContentFile<?> file) {
    return CACHE.tryCache(table.io().newInputFile(file.location(), file.fileSizeInBytes()));
  }
}
