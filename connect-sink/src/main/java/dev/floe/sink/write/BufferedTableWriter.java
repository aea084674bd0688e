package dev.floe.sink.write;

import dev.floe.sink.schema.RowConverter;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.iceberg.Table;

/**
 * What every table buffer shares: the table, its row converter, what the buffer covers, and a flush
 * that writes the buffer to fresh files and keeps it until the commit is known to have landed.
 */
abstract class BufferedTableWriter implements TableWriter {
  protected final Table table;
  protected final RowConverter rows;
  protected final FlushCoverage coverage = new FlushCoverage();
  // the schema the buffered rows were built for: another task may change the table's meanwhile
  private final org.apache.iceberg.Schema rowSchema;
  private final int partitionId;
  private final long taskId;

  BufferedTableWriter(
      Table table, java.util.Map<String, String> aliases, int partitionId, long taskId) {
    this.table = table;
    this.rowSchema = table.schema();
    this.rows = new RowConverter(rowSchema, aliases);
    this.partitionId = partitionId;
    this.taskId = taskId;
  }

  /** Writes the buffered rows (and key deletes) into {@code files}. */
  protected abstract void writeBuffer(FlushFileWriter files);

  /** Empties the buffer. */
  protected abstract void clearBuffer();

  /** The columns rows are deleted by before they are written again; none by default. */
  protected org.apache.iceberg.Schema deleteKey() {
    return new org.apache.iceberg.Schema();
  }

  @Override
  public Table table() {
    return table;
  }

  @Override
  public org.apache.iceberg.Schema schema() {
    return rowSchema;
  }

  @Override
  public int pendingEvents() {
    return coverage.events();
  }

  @Override
  public long pendingBytes() {
    return coverage.bytes();
  }

  @Override
  public TableFlush flush() {
    if (coverage.events() == 0) {
      return null;
    }
    table.refresh();
    FlushFileWriter files = new FlushFileWriter(table, rowSchema, deleteKey(), partitionId, taskId);
    try {
      writeBuffer(files);
      return coverage.flushOf(table, files.complete());
    } catch (IOException | RuntimeException e) {
      files.abort();
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
  }

  @Override
  public void committed() {
    discard();
  }

  @Override
  public void discard() {
    clearBuffer();
    coverage.clear();
  }
}
