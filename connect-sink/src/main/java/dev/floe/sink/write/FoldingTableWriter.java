package dev.floe.sink.write;

import dev.floe.sink.event.ChangeEvent;
import dev.floe.sink.fill.FillSettings;
import dev.floe.sink.fill.FillSource;
import dev.floe.sink.fill.KeyFilter;
import dev.floe.sink.fill.PendingFill;
import dev.floe.sink.index.KeyIndex;
import dev.floe.sink.index.KeyIndexes;
import dev.floe.sink.index.KeyLocations;
import dev.floe.sink.index.KeyMap;
import dev.floe.sink.schema.ChangeMetadata;
import dev.floe.sink.schema.RowConverter;
import dev.floe.sink.schema.TableKey;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.WriteResult;
import org.apache.iceberg.types.Types.NestedField;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;

/**
 * A table's buffer that folds changes by key: within one flush each key is written at most once,
 * with the state of its last change (an upsert's row, nothing after a delete, or in soft-delete
 * mode the deleted row with its marker). Each key written is first deleted by equality, so a row
 * from an earlier snapshot is replaced and replays change nothing.
 *
 * <p>Values Postgres did not send (unchanged TOASTed columns) come from the key's last state: its
 * earlier change in this buffer, else the table ({@link dev.floe.sink.fill.RowFills}). The new row
 * of a primary-key change takes them from the old key, whose state before its delete is kept.
 */
public final class FoldingTableWriter extends BufferedTableWriter {
  private final TableKey key;
  private final Schema keySchema;
  private final RowConverter keyRecords;
  private final ChangeMetadata.Columns metadata = new ChangeMetadata.Columns();
  private final boolean softDelete;
  private final KeyIndexes indexes;
  // in a flush's keys the table may hold: a deleted key it certainly does not
  private static final KeyLocations.RowAt NOT_HELD = new KeyLocations.RowAt(null, -1);
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(FoldingTableWriter.class);
  private final Set<String> valueColumns = new HashSet<>();
  // the columns a change lacks, reused: the fills copy what they keep (mostly nothing is missing,
  // and a new set per change was a large share of the buffering's allocation)
  private final Set<String> missingScratch = new HashSet<>();
  private KeyMap<Record> latestByKey; // a null value: the key's last change was a delete
  // the state a delete in this buffer replaced: written dead if the table never held the key
  private KeyMap<Record> beforeDelete;
  private final java.util.List<Record> deadRows = new java.util.ArrayList<>();
  private RowPositions flushPositions = RowPositions.NONE;
  private final KeyChangeStates keyChanges = new KeyChangeStates();
  // the files of the flush being committed, whose rows are tagged with their buffer entries: where
  // each key's row is goes to the key index once the flush commits
  private FlushFileWriter filesWritten;
  private WriteResult resultWritten;
  // the buffer's keys as a scan filter, collected as the flush writes them (null: not yet)
  private org.apache.iceberg.expressions.Expression keysFilter;
  private List<Record> ownRowsDeleted = List.of();
  private List<Record> statesDeleted = List.of();
  // a state that a replay's change left: the key keeps its delete (an identity set of one)
  private final Set<Record> superseded =
      java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

  public FoldingTableWriter(Table table, int partitionId, long taskId) {
    this(table, false, Map.of(), FillSettings.DEFAULT, KeyIndexes.NONE, partitionId, taskId);
  }

  /**
   * @param aliases old column names to write under their new ones (renames followed in Iceberg)
   * @param indexes where the table's key index is, which spares the equality delete of a key the
   *     table certainly does not hold
   */
  public FoldingTableWriter(
      Table table,
      boolean softDelete,
      Map<String, String> aliases,
      FillSettings fill,
      KeyIndexes indexes,
      int partitionId,
      long taskId) {
    super(table, aliases, fill, false, partitionId, taskId);
    FlushFileWriter.globalSpec(table); // fail now, not at the first flush
    this.key = TableKey.of(table);
    if (key.columns().isEmpty()) {
      throw new ConnectException(
          "Iceberg table "
              + table.name()
              + " has no identifier fields: set them to the Postgres primary key columns so updates"
              + " and deletes can find their rows (or write it with iceberg.tables.write-mode="
              + "changelog).");
    }
    this.keySchema = key.select(schema());
    this.keyRecords = RowConverter.forKeys(keySchema);
    this.softDelete = softDelete;
    this.indexes = indexes;
    for (NestedField column : schema().columns()) {
      if (!key.columns().contains(column.name()) && !ChangeMetadata.isMetadata(column.name())) {
        valueColumns.add(column.name());
      }
    }
    clearBuffer();
  }

  @Override
  public TableKey key() {
    return key;
  }

  @Override
  protected Schema keySchema() {
    return keySchema;
  }

  @Override
  public void write(ChangeEvent event) {
    Set<String> missing = missingScratch;
    missing.clear(); // a refused change may have left some
    Record state = null;
    if (!event.isDelete()) {
      state = rows.toRecord(event.row(), missing, event.columnNumbers());
    } else if (softDelete) {
      state =
          event.row() == null
              ? rows.toRecord(event.key(), missing)
              : rows.toRecord(event.row(), missing, event.columnNumbers());
      // the kept row is the key's last state: a before-image without REPLICA IDENTITY FULL holds
      // only the key, so every other column comes from that state
      missing.addAll(valueColumns);
    }
    Record rowKey = keyOf(event, state);
    Record earlier = latestByKey.get(rowKey);
    boolean seen = earlier != null || latestByKey.containsKey(rowKey);
    if (!missing.isEmpty()) {
      fillFromLastState(event, rowKey, state, missing, earlier, seen);
    }
    if (event.isDelete()) {
      if (earlier != null && state == null) {
        beforeDelete.put(rowKey, earlier); // a dead row, if the table never held the key
      }
      if (event.keyMoved()) {
        // the old key's state just before the change (still filled at flush): its new row, here
        // or on another task, takes what Postgres did not send from it
        keyChanges.left(
            rowKey, earlier, event.position().lsn(), earlier == null || !fills.isPending(earlier));
      }
    } else {
      fills.forget(earlier);
    }
    if (state != null && superseded.remove(state)) {
      state = null; // the key stays deleted
    }
    latestByKey.put(rowKey, state == null ? null : metadata.fill(state, event));
    coverage.add(event, state == null ? rowKey : state);
  }

  /**
   * Takes what {@code state} lacks from the key's last state, now or when the buffer is written.
   */
  private void fillFromLastState(
      ChangeEvent event,
      Record rowKey,
      Record state,
      Set<String> missing,
      Record earlier,
      boolean seen) {
    boolean required = !event.isDelete(); // a kept deleted row keeps what it has
    if (event.oldKey() != null) {
      Record oldKey = keyRecords.toKey(event.oldKey());
      KeyChangeStates.Change change = keyChanges.claim(event.position().lsn());
      if (change != null) { // the old key's delete is in this buffer too
        if (change.state() != null) {
          fills.fromEarlier(state, missing, change.state(), event.record());
        } else { // not changed in this buffer: its committed row is its last state
          fills.fromTable(state, missing, FillSource.committedRow(oldKey), true, event.record());
        }
      } else {
        fills.fromTable(
            state,
            missing,
            FillSource.beforeKeyChange(oldKey, event.position().lsn()),
            true,
            event.record());
      }
    } else if (earlier != null) {
      fills.fromEarlier(state, missing, earlier, event.record());
    } else if (!seen) {
      fills.fromTable(state, missing, FillSource.committedRow(rowKey), required, event.record());
    } else if (required) {
      // an update after the key's delete in this buffer: Postgres cannot do that, so it is the
      // source replaying after a restart, and the delete that follows it in the replay wins
      superseded.add(state);
      replays.skipped(table, event.record() == null ? List.of() : List.of(event.record()));
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  protected org.apache.iceberg.expressions.Expression conflictFilter() {
    // the buffer's keys as they are (records of the key schema), not copied into a list
    if (keysFilter != null) {
      return keysFilter; // collected by writeBuffer, in its pass over the keys
    }
    return KeyFilter.of(
        keySchema, (java.util.Collection<Record>) (java.util.Collection<?>) latestByKey.keySet());
  }

  @Override
  public Map<StructLike, Record> rowsByKey() {
    return latestByKey;
  }

  @Override
  public boolean holdsRowOf(ChangeEvent event) {
    return latestByKey.get(keyOf(event, null)) != null;
  }

  /**
   * The change's key in the table's key columns: its Kafka key, or for a change made before the
   * primary key changed (keyed the old way), the key columns of its row.
   */
  private Record keyOf(ChangeEvent event, Record state) {
    if (key.matches(event.key())) {
      return keyRecords.toKey(event.key());
    }
    Record row = state != null ? state : event.row() == null ? null : rows.toRecord(event.row());
    GenericRecord rowKey = GenericRecord.create(keySchema);
    for (NestedField column : keySchema.columns()) {
      Object value = row == null ? null : row.getField(column.name());
      if (value == null) {
        throw new DataException(
            "A change to "
                + table.name()
                + " keyed by "
                + TableKey.columnsOf(event.key())
                + " was made before the key became "
                + key.columns()
                + " and does not carry '"
                + column.name()
                + "', so it cannot be matched to one row (set REPLICA IDENTITY FULL before"
                + " changing a primary key, so deletes carry every column).");
      }
      rowKey.setField(column.name(), value);
    }
    return rowKey;
  }

  @Override
  protected boolean hasStatesBeforeKeyChanges() {
    return !keyChanges.isEmpty();
  }

  @Override
  protected Set<Long> writeStatesBeforeKeyChanges(FlushFileWriter files) {
    Set<Long> lsns = keyChanges.write(files, fills, keySchema);
    statesDeleted = files.deletedKeys();
    return lsns;
  }

  @Override
  public void statesBeforeKeyChangesCommitted() {
    keyChanges.committed();
    KeyIndex index = indexes.of(table(), keySchema);
    if (index != null) {
      // the old keys' rows were deleted by equality and written again: where is not kept
      index.writtenWithoutPlaces(statesDeleted);
    }
  }

  @Override
  protected void checkKey() {
    TableKey now = TableKey.of(table);
    if (!now.columns().equals(key.columns())) {
      throw new KeyChangedException(
          "The key of "
              + table.name()
              + " changed from "
              + key.columns()
              + " to "
              + now.columns()
              + " under this task's buffer (another task applied the primary key change first).");
    }
  }

  @Override
  protected boolean superseded(PendingFill gap) {
    keyChanges.drop(gap.row());
    for (Map.Entry<StructLike, Record> entry : latestByKey.entrySet()) {
      if (entry.getValue() == gap.row()) {
        latestByKey.remove(entry.getKey()); // neither written nor deleted: the table is ahead
        return true;
      }
    }
    return false;
  }

  @Override
  protected boolean unfillable(PendingFill gap) {
    keyChanges.drop(gap.row());
    // the row cannot be completed: the key is left as deleted rather than written with values it
    // never had, and its changes go to the dead letter topic
    for (Map.Entry<StructLike, Record> entry : latestByKey.entrySet()) {
      if (entry.getValue() == gap.row()) {
        latestByKey.put(entry.getKey(), null);
        return true;
      }
    }
    return false; // a state a later delete replaced: nothing of it is written
  }

  @Override
  protected Schema deleteKey() {
    return keySchema;
  }

  /**
   * Writes each key's last state, and deletes the key's earlier row. A key the table certainly does
   * not hold (the key index has never seen it) needs no delete: an insert of a new key leaves
   * readers nothing to join. The earlier rows of the other keys are found in the snapshot the flush
   * is written against and deleted by position. A key deleted by equality instead: every key when
   * the rows cannot be found that way (a data file not in Parquet, or position deletes turned off),
   * and the delete of a key the table does not hold, kept as a tombstone so that a fill of a later
   * replay finds the key deleted rather than never written.
   */
  @Override
  protected void writeBuffer(FlushFileWriter files) {
    long t0 = System.nanoTime();
    KeyIndex index = syncedIndex();
    long t1 = System.nanoTime();
    boolean byPositions = indexes.locatesRows();
    deadRows.clear();
    // the keys whose rows must be looked for: not new, and not where this task wrote them last
    java.util.List<Record> unknown = new java.util.ArrayList<>();
    // the keys the table may hold, each with where this task wrote it last (null: unknown);
    // decided once, before this flush adds its new keys to the index (which may then say "may
    // hold" of a key it did not hold); by identity: both passes read the same key objects
    Map<StructLike, KeyLocations.RowAt> held = new java.util.IdentityHashMap<>(latestByKey.size());
    for (Map.Entry<StructLike, Record> change : latestByKey.entrySet()) {
      Record rowKey = (Record) change.getKey();
      boolean mayHold = index == null || index.mayHold(rowKey);
      if (!mayHold && change.getValue() == null) {
        // a delete of a key the table does not hold (inserted in this buffer): nothing to find,
        // and one such key looked for read every file its bounds admit
        held.put(rowKey, NOT_HELD);
      } else if (mayHold) {
        KeyLocations.RowAt own = index == null ? null : index.ownRow(rowKey);
        held.put(rowKey, own);
        if (own == null) {
          unknown.add(rowKey);
        }
      }
    }
    org.apache.iceberg.Snapshot current = table().currentSnapshot();
    KeyLocations located =
        byPositions && !unknown.isEmpty()
            ? KeyLocations.find(
                table(), current, keySchema, unknown, KeyFilter.of(keySchema, unknown))
            : null;
    LOG.debug(
        "{}: key index synced in {} ms; {} of {} keys looked for in {} files in {} ms",
        table().name(),
        (t1 - t0) / 1_000_000,
        unknown.size(),
        latestByKey.size(),
        located == null ? 0 : located.filesRead().size(),
        (System.nanoTime() - t1) / 1_000_000);
    byPositions &= located != null || unknown.isEmpty();
    RowPositions byPosition =
        byPositions
            ? new RowPositions(
                current == null ? -1 : current.snapshotId(), located, partitionId(), taskId())
            : RowPositions.NONE;
    int newKeys = 0;
    int byEquality = 0;
    KeyFilter.Collector keys = new KeyFilter.Collector(keySchema);
    for (Map.Entry<StructLike, Record> change : latestByKey.entrySet()) {
      Record rowKey = (Record) change.getKey();
      keys.add(rowKey);
      if (held.containsKey(rowKey)) {
        KeyLocations.RowAt own = held.get(rowKey);
        List<KeyLocations.RowAt> rows =
            !byPositions
                ? null
                : own == NOT_HELD ? List.of() : own != null ? List.of(own) : located.of(rowKey);
        if (rows != null && rows.isEmpty() && change.getValue() == null && deadRow(rowKey)) {
          files.write(beforeDelete.get(rowKey), rowKey); // tagged by its key: a dead row
          deadRows.add(rowKey);
        } else if (rows == null || (rows.isEmpty() && change.getValue() == null)) {
          files.deleteKey(rowKey);
          byEquality++;
        } else {
          rows.forEach(byPosition::delete);
        }
      } else {
        newKeys++;
        index.add(rowKey); // in the table from this commit on; a rewrite of the flush deletes it
      }
      if (change.getValue() != null) {
        files.write(change.getValue(), change); // tagged by its entry: its place goes there
      }
    }
    keysFilter = keys.filter();
    coverage.newKeys(newKeys);
    coverage.deletes(byPosition, byEquality);
    flushPositions = byPosition;
  }

  /**
   * Whether a key deleted in this buffer that the table does not hold is written as a dead row (its
   * last state, deleted by position in the same commit) rather than as an equality delete: either
   * way a fill of a later replay finds it deleted, not never written, but the dead row leaves
   * readers nothing to join. Only a complete state qualifies, and only while the flush is too small
   * for a partition to fill more than one file (a dead row's position must be known).
   */
  private boolean deadRow(Record rowKey) {
    Record state = beforeDelete.get(rowKey);
    return state != null && !fills.isPending(state) && pendingBytes() < targetFileBytes() / 2;
  }

  private long targetFileBytes() {
    return org.apache.iceberg.util.PropertyUtil.propertyAsLong(
        table().properties(),
        org.apache.iceberg.TableProperties.WRITE_TARGET_FILE_SIZE_BYTES,
        org.apache.iceberg.TableProperties.WRITE_TARGET_FILE_SIZE_BYTES_DEFAULT);
  }

  @Override
  protected void written(FlushFileWriter files, WriteResult result) {
    KeyIndex index = indexes.of(table(), keySchema);
    if (index != null) {
      index.written(java.util.Arrays.asList(result.dataFiles()));
      filesWritten = files;
      resultWritten = result;
      ownRowsDeleted = files.deletedKeys();
    }
    if (!deadRows.isEmpty()) {
      files.forEachRowAt(
          result,
          (tag, dead) -> {
            if (tag instanceof Record) { // a dead row, tagged by its key
              if (dead == null) { // cannot be: deadRow() keeps the flush to one file per partition
                throw new IllegalStateException(
                    "the dead row of a deleted key has no known position in " + table().name());
              }
              flushPositions.deleteWritten(dead);
            }
          });
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public void committed() {
    KeyMap<Record> flushed = latestByKey;
    FlushFileWriter files = filesWritten;
    WriteResult result = resultWritten;
    filesWritten = null;
    resultWritten = null;
    super.committed(); // the next buffer is a new map
    KeyIndex index = indexes.of(table(), keySchema);
    if (index != null && files != null) {
      // where each key's row is now, put in its buffer entry (a deleted key's is null already):
      // the flushed buffer's map becomes the index's, so its keys are not hashed again, and the
      // rows are visited in the lists they were written to rather than looked up in the map
      files.forEachRowAt(
          result,
          (tag, row) -> {
            if (tag instanceof Map.Entry<?, ?> entry) {
              ((Map.Entry<StructLike, Object>) entry)
                  .setValue(row == null ? KeyLocations.RowAt.UNPLACED : row);
            }
          });
      index.ownRowsCommitted((KeyMap<KeyLocations.RowAt>) (KeyMap<?>) flushed, ownRowsDeleted);
    }
  }

  /** The table's key index, brought up to the table (refreshed for this flush), or null. */
  private KeyIndex syncedIndex() {
    KeyIndex index = indexes.of(table(), keySchema);
    if (index != null) {
      try {
        index.sync(table());
      } catch (UnsupportedOperationException noIndex) {
        // another writer's files it cannot read, or no room: a delete for every key, as before
        LOG.info(
            "{} has no key index ({}): every key written gets an equality delete",
            table().name(),
            noIndex.getMessage());
        indexes.drop(table());
        return null;
      }
    }
    return index;
  }

  @Override
  protected void clearBuffer() {
    // sized as the last buffer: the next flush is most often as large, and growing a map of
    // 100,000 keys step by step hashes each of them again
    latestByKey = KeyMap.create(keySchema.asStruct(), latestByKey == null ? 0 : latestByKey.size());
    keysFilter = null;
    filesWritten = null;
    resultWritten = null;
    beforeDelete = KeyMap.create(keySchema.asStruct());
    keyChanges.clear();
  }
}
