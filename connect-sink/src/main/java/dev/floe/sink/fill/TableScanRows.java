package dev.floe.sink.fill;

import dev.floe.sink.index.KeyMap;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types.NestedField;

/**
 * {@link CommittedRows} by one planned read of the table per call: a scan of the snapshot that
 * projects only the key and the columns asked for, filtered on the keys ({@link KeyFilter}), so
 * Iceberg skips every data file whose partition or column bounds rule the keys out; the rows read
 * are then matched to the keys exactly. Equality and position deletes apply as for any reader.
 */
public final class TableScanRows implements CommittedRows {
  private final KeyChangeLog keyChanges = new KeyChangeLog();
  private final LookupListener listener;

  /** Told of each read: for metrics. */
  public interface LookupListener {
    void looked(Table table, int keys, int found, long millis);
  }

  public TableScanRows() {
    this((table, keys, found, millis) -> {});
  }

  public TableScanRows(LookupListener listener) {
    this.listener = listener;
  }

  @Override
  public Map<StructLike, Record> find(
      Table table,
      long snapshotId,
      Schema keySchema,
      Collection<Record> keys,
      Set<String> columns) {
    long started = System.nanoTime();
    Set<StructLike> wanted = KeyMap.setOf(keySchema.asStruct());
    wanted.addAll(keys);
    Schema schema = table.schemas().get(table.snapshot(snapshotId).schemaId());
    Set<String> select = new LinkedHashSet<>();
    keySchema.columns().forEach(c -> select.add(c.name()));
    columns.stream().filter(c -> schema.findField(c) != null).forEach(select::add);
    NewestRow newest = NewestRow.of(schema);
    select.addAll(newest.columns());
    Expression filter = KeyFilter.of(keySchema, keys);
    KeyMap<Record> found =
        new NewestRowScan(table, snapshotId, keySchema, wanted)
            .read(snapshotId, plan(table, snapshotId, filter), select, filter);
    if (found == null) {
      found = readAll(table, snapshotId, keySchema, wanted, select, filter, newest);
    }
    listener.looked(table, keys.size(), found.size(), (System.nanoTime() - started) / 1_000_000);
    return found;
  }

  private static List<FileScanTask> plan(Table table, long snapshotId, Expression filter) {
    try (CloseableIterable<FileScanTask> tasks =
        dev.floe.sink.index.SmallPlans.scan(table, table.snapshot(snapshotId))
            .filter(filter)
            .planFiles()) {
      List<FileScanTask> planned = new ArrayList<>();
      tasks.forEach(planned::add);
      return planned;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Iceberg's generic read, every delete applied: for tables another writer shaped. */
  private static KeyMap<Record> readAll(
      Table table,
      long snapshotId,
      Schema keySchema,
      Set<StructLike> wanted,
      Set<String> select,
      Expression filter,
      NewestRow newest) {
    KeyMap<Record> found = KeyMap.create(keySchema.asStruct());
    try (CloseableIterable<Record> rows =
        IcebergGenerics.read(table)
            .useSnapshot(snapshotId)
            .select(new ArrayList<>(select))
            .where(filter)
            .build()) {
      for (Record row : rows) {
        Record key = keyOf(row, keySchema);
        if (wanted.contains(key)) {
          found.merge(key, row, newest::newer);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return found;
  }

  @Override
  public long snapshotOfKeyChange(Table table, long lsn) {
    return keyChanges.snapshotOf(table, lsn);
  }

  private static Record keyOf(Record row, Schema keySchema) {
    GenericRecord key = GenericRecord.create(keySchema);
    for (NestedField column : keySchema.columns()) {
      key.setField(column.name(), row.getField(column.name()));
    }
    return key;
  }
}
