package dev.floe.sink.write;

import dev.floe.sink.fill.CommittedRows;
import dev.floe.sink.fill.FillSettings;
import dev.floe.sink.fill.PendingFill;
import dev.floe.sink.fill.Refusals;
import dev.floe.sink.fill.RowFills;
import dev.floe.sink.schema.ColumnNumbering;
import dev.floe.sink.schema.RowConverter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.WriteResult;

/**
 * What every table buffer shares: the table, its row converter, what the buffer covers, the rows
 * waiting for values Postgres did not send, and a flush that writes the buffer to fresh files and
 * keeps it until the commit is known to have landed.
 */
abstract class BufferedTableWriter implements TableWriter {
  protected final Table table;
  protected final RowConverter rows;
  protected final FlushCoverage coverage;
  protected final RowFills fills;
  protected final ReplayedChanges replays = new ReplayedChanges();
  // the schema the buffered rows were built for: another task may change the table's meanwhile
  private final Schema rowSchema;
  private final int partitionId;
  private final long taskId;

  /**
   * @param marksKeyChanges whether the flush's own snapshot records the primary-key changes whose
   *     old key it deletes, because it keeps the deleted row (a changelog); else the old keys'
   *     states are committed ahead of it ({@link #flushStatesBeforeKeyChanges()})
   */
  BufferedTableWriter(
      Table table,
      Map<String, String> aliases,
      FillSettings fill,
      boolean marksKeyChanges,
      int partitionId,
      long taskId) {
    this.table = table;
    this.rowSchema = table.schema();
    this.rows = new RowConverter(rowSchema, aliases, ColumnNumbering.of(table), fill.placeholder());
    this.fills = new RowFills(fill.keyChangeTimeoutMs());
    this.coverage = new FlushCoverage(marksKeyChanges);
    this.partitionId = partitionId;
    this.taskId = taskId;
  }

  /** The Kafka partition and task this writer's files are named after. */
  protected int partitionId() {
    return partitionId;
  }

  protected long taskId() {
    return taskId;
  }

  /** Writes the buffered rows (and key deletes) into {@code files}. */
  protected abstract void writeBuffer(FlushFileWriter files);

  /** Empties the buffer. */
  protected abstract void clearBuffer();

  /** The columns rows are deleted by before they are written again; none by default. */
  protected Schema deleteKey() {
    return new Schema();
  }

  /** The columns a row's last state is looked up by. */
  protected abstract Schema keySchema();

  /**
   * The rows a concurrent commit of another writer conflicts with: none by default (a writer that
   * only appends).
   */
  protected Expression conflictFilter() {
    return Expressions.alwaysFalse();
  }

  /**
   * Takes {@code gap}'s row out of what will be written; false when it already was (a later change
   * replaced it), so its changes cost nothing.
   */
  protected abstract boolean unfillable(PendingFill gap);

  /**
   * Takes {@code gap}'s row, a replayed change the table already holds a later state of, out of
   * what will be written, so that the flush leaves the key as the table holds it; false when it
   * already was out.
   */
  protected abstract boolean superseded(PendingFill gap);

  @Override
  public Table table() {
    return table;
  }

  @Override
  public Schema schema() {
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
  public boolean fillUnavailable(CommittedRows committed, Refusals refusals) {
    RowFills.Outcome outcome = fills.fill(table, keySchema(), committed);
    for (PendingFill gap : outcome.unfillable()) {
      if (unfillable(gap)) {
        refusals.refuse(gap.records(), gap.reason(table.name()));
      }
    }
    for (PendingFill gap : outcome.superseded()) {
      if (superseded(gap)) { // the table holds a later state of the key: left as it is
        replays.skipped(table, gap.records());
      }
    }
    coverage.filled(fills.takeCounts());
    return !outcome.waiting();
  }

  /**
   * Fails when the table's key is no longer the one this buffer folded by: another task changed it
   * (a Postgres primary key change it saw first), and deleting by the old columns would remove rows
   * written under the new key. None by default (a writer that matches no rows).
   */
  protected void checkKey() {}

  /** Whether {@link #flushStatesBeforeKeyChanges()} may have states to write; none by default. */
  protected boolean hasStatesBeforeKeyChanges() {
    return false;
  }

  /**
   * Writes the states of {@link #flushStatesBeforeKeyChanges()} that are ready; returns the LSNs of
   * their key changes.
   */
  protected Set<Long> writeStatesBeforeKeyChanges(FlushFileWriter files) {
    return Set.of();
  }

  /** The files of a flush are complete (they are committed next, or written again). */
  protected void written(FlushFileWriter files, WriteResult result) {}

  @Override
  public TableFlush flushStatesBeforeKeyChanges() {
    if (coverage.events() == 0 || !hasStatesBeforeKeyChanges()) {
      return null;
    }
    table.refresh();
    FlushFileWriter files = new FlushFileWriter(table, rowSchema, deleteKey(), partitionId, taskId);
    try {
      Set<Long> keyChanges = writeStatesBeforeKeyChanges(files);
      if (keyChanges.isEmpty()) {
        files.abort();
        return null;
      }
      return coverage.statesBeforeKeyChanges(table, files.complete(), keyChanges, conflictFilter());
    } catch (IOException | RuntimeException e) {
      files.abort();
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
  }

  @Override
  public TableFlush flush() {
    if (coverage.events() == 0) {
      return null;
    }
    table.refresh();
    checkKey();
    FlushFileWriter files = new FlushFileWriter(table, rowSchema, deleteKey(), partitionId, taskId);
    try {
      writeBuffer(files);
      WriteResult result = files.complete();
      written(files, result);
      return coverage.flushOf(table, result, conflictFilter());
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
    fills.clear();
    coverage.clear();
  }
}
