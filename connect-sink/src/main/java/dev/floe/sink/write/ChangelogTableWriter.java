package dev.floe.sink.write;

import dev.floe.sink.event.ChangeEvent;
import dev.floe.sink.schema.ChangeMetadata;
import dev.floe.sink.schema.RowConverter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;

/**
 * Changelog mode: every change becomes a row of its own, in Kafka order, with its operation and
 * position ({@link ChangeMetadata}); nothing is folded and nothing deleted. Exactly-once still
 * holds: a replayed change is skipped by its offset, so the history never holds a change twice.
 */
public final class ChangelogTableWriter implements TableWriter {
  private final Table table;
  private final RowConverter rows;
  private final int partitionId;
  private final long taskId;
  private final FlushCoverage coverage = new FlushCoverage();
  private List<Record> changes = new ArrayList<>();

  public ChangelogTableWriter(Table table, int partitionId, long taskId) {
    this.table = table;
    this.rows = new RowConverter(table.schema());
    this.partitionId = partitionId;
    this.taskId = taskId;
  }

  @Override
  public void write(ChangeEvent event) {
    Record row = event.row() == null ? rows.toRecord(event.key()) : rows.toRecord(event.row());
    changes.add(ChangeMetadata.fill(row, event));
    coverage.add(event, row);
  }

  @Override
  public Table table() {
    return table;
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
    if (changes.isEmpty()) {
      return null;
    }
    table.refresh();
    FlushFileWriter files = new FlushFileWriter(table, partitionId, taskId);
    try {
      changes.forEach(files::write);
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
    changes = new ArrayList<>();
    coverage.clear();
  }
}
