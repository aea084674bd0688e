package dev.floe.sink.maintain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.BaseDeleteLoader;
import org.apache.iceberg.data.DeleteLoader;
import org.apache.iceberg.data.GenericDeleteFilter;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.util.ThreadPools;

/**
 * The rows of a compaction's data files that no delete removes, file after file in the order given.
 * A busy table's compaction is mostly many small files (a flush's worth each), and reading one
 * waits on the object store far more than it computes: the small files are read a few ahead on a
 * shared pool, the large ones as they come. The delete files that apply to many data files (a
 * table's equality deletes apply to every older file) are read once per compaction, not once per
 * data file.
 */
final class LiveRows {
  /** Files at most this large are read ahead whole: a few of them are held at a time. */
  static final long READ_AHEAD_MAX_BYTES = 2L << 20;

  static final int READ_AHEAD = 4;

  private static final ExecutorService READS =
      ThreadPools.newFixedThreadPool("floe-compaction-reads", READ_AHEAD);

  private final Table table;
  private final Schema schema;
  private final DeleteLoader deletes;

  LiveRows(Table table, Schema schema) {
    this.table = table;
    this.schema = schema;
    this.deletes = new SharedDeletes(table);
  }

  /** Hands every live row of {@code tasks} to {@code rows}, file by file in their order. */
  void forEach(List<FileScanTask> tasks, Consumer<Record> rows) {
    Deque<CompletableFuture<List<Record>>> ahead = new ArrayDeque<>();
    int scheduled = 0;
    try {
      for (int next = 0; next < tasks.size(); next++) {
        while (scheduled < tasks.size() && scheduled <= next + READ_AHEAD) {
          FileScanTask task = tasks.get(scheduled++);
          ahead.add(
              small(task)
                  ? CompletableFuture.supplyAsync(() -> readAll(task), READS)
                  : CompletableFuture.completedFuture(null));
        }
        List<Record> read = ahead.poll().join();
        if (read != null) {
          read.forEach(rows);
        } else {
          stream(tasks.get(next), rows);
        }
      }
    } catch (CompletionException failed) {
      throw failed.getCause() instanceof RuntimeException cause ? cause : failed;
    } finally {
      ahead.forEach(read -> read.cancel(false));
    }
  }

  private static boolean small(FileScanTask task) {
    return task.file().fileSizeInBytes() <= READ_AHEAD_MAX_BYTES;
  }

  private List<Record> readAll(FileScanTask task) {
    List<Record> read = new ArrayList<>();
    stream(task, read::add);
    return read;
  }

  private void stream(FileScanTask task, Consumer<Record> rows) {
    GenericDeleteFilter filter =
        new GenericDeleteFilter(table.io(), task, schema, schema) {
          @Override
          protected DeleteLoader newDeleteLoader() {
            return deletes;
          }
        };
    Schema read = filter.requiredSchema();
    try (CloseableIterable<Record> live =
        filter.filter(
            Parquet.read(table.io().newInputFile(task.file()))
                .project(read)
                .createReaderFunc(fileSchema -> GenericParquetReaders.buildReader(read, fileSchema))
                .build())) {
      for (Record row : live) {
        rows.accept(row.size() == schema.columns().size() ? row : project(row));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The row without the columns only the delete filter needed (a row position). */
  private Record project(Record row) {
    GenericRecord kept = GenericRecord.create(schema);
    for (int i = 0; i < schema.columns().size(); i++) {
      kept.set(i, row.get(i));
    }
    return kept;
  }

  /** Iceberg's delete loader, with what it reads kept for the compaction's other data files. */
  private static final class SharedDeletes extends BaseDeleteLoader {
    private static final long MAX_CACHED_BYTES = 64L << 20;
    private final Map<String, CompletableFuture<Object>> read = new ConcurrentHashMap<>();

    SharedDeletes(Table table) {
      super(file -> table.io().newInputFile(file));
    }

    @Override
    protected boolean canCache(long size) {
      return size <= MAX_CACHED_BYTES;
    }

    @Override
    @SuppressWarnings("unchecked")
    protected <V> V getOrLoad(String key, Supplier<V> load, long size) {
      // the files read ahead ask for the same delete file at once: one reads, the others wait
      // for it (a future, not computeIfAbsent, which would hold the map while it reads)
      CompletableFuture<Object> mine = new CompletableFuture<>();
      CompletableFuture<Object> known = read.putIfAbsent(key, mine);
      if (known != null) {
        return (V) known.join();
      }
      try {
        V loaded = load.get();
        mine.complete(loaded);
        return loaded;
      } catch (RuntimeException | Error failed) {
        read.remove(key, mine);
        mine.completeExceptionally(failed);
        throw failed;
      }
    }
  }
}
