package dev.floe.sink.write;

import dev.floe.sink.event.ChangeEvent;
import dev.floe.sink.schema.ChangeMetadata;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;

/**
 * Changelog mode: every change becomes a row of its own, in Kafka order, with its operation and
 * position ({@link ChangeMetadata}); nothing is folded and nothing deleted. Exactly-once still
 * holds: a replayed change is skipped by its offset, so the history never holds a change twice.
 */
public final class ChangelogTableWriter extends BufferedTableWriter {
  private List<Record> changes = new ArrayList<>();

  public ChangelogTableWriter(Table table, int partitionId, long taskId) {
    this(table, java.util.Map.of(), partitionId, taskId);
  }

  public ChangelogTableWriter(
      Table table, java.util.Map<String, String> aliases, int partitionId, long taskId) {
    super(table, aliases, partitionId, taskId);
  }

  @Override
  public void write(ChangeEvent event) {
    Record row = event.row() == null ? rows.toRecord(event.key()) : rows.toRecord(event.row());
    changes.add(ChangeMetadata.fill(row, event));
    coverage.add(event, row);
  }

  @Override
  protected void writeBuffer(FlushFileWriter files) {
    changes.forEach(files::write);
  }

  @Override
  protected void clearBuffer() {
    changes = new ArrayList<>();
  }
}
