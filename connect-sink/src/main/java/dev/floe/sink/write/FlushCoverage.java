package dev.floe.sink.write;

import dev.floe.sink.event.ChangeEvent;
import dev.floe.sink.event.SourcePosition;
import dev.floe.sink.fill.RowFills;
import dev.floe.sink.schema.UnrepresentableValues;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.io.WriteResult;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Struct;

/**
 * What one buffer covers, whatever it holds: per Kafka partition the first and the next offset, the
 * largest source position, the number of changes, the primary-key changes whose old key it deletes,
 * how many rows got values Postgres did not send, and how many values their columns could not hold
 * were kept as text. It becomes the snapshot summary on commit.
 */
final class FlushCoverage {
  private final boolean marksKeyChanges;
  // per partition, the first offset buffered and the next after the last, updated in place: a
  // boxed Long per event was the apply path's largest allocation
  private Map<TopicPartition, long[]> offsets = new HashMap<>();
  private SourcePosition watermark = SourcePosition.UNKNOWN;
  private int events;
  private long bytes;
  private Set<Long> keyChangeLsns = new HashSet<>();
  private int newKeys;
  private RowPositions deletedRows = RowPositions.NONE;
  private int equalityDeletes;
  private RowFills.Counts filled = RowFills.Counts.NONE;
  private int keptAsText;

  /**
   * @param marksKeyChanges whether the flush's own snapshot records the primary-key changes whose
   *     old key it deletes (where the deleted row is kept: a changelog); otherwise a snapshot of
   *     the old keys' states does, ahead of it
   */
  FlushCoverage(boolean marksKeyChanges) {
    this.marksKeyChanges = marksKeyChanges;
  }

  /**
   * Counts {@code event}, whose buffered state is {@code buffered} (a row, or a deleted key alone).
   * Every change counts in full, even one that replaces an earlier change of its key in the buffer
   * (whose row then becomes garbage): generous for a buffer of updates, exact for new keys. Not
   * counted (the writer does not say): the Kafka record a row keeps while it waits for values
   * Postgres did not send to be read from the table ({@link RowFills}).
   */
  void add(ChangeEvent event, Object buffered) {
    bytes += RecordSizes.estimate(buffered) + keyCost(event, buffered);
    long offset = event.coordinates().offset();
    long[] range = offsets.get(event.coordinates().topicPartition());
    if (range == null) {
      offsets.put(event.coordinates().topicPartition(), new long[] {offset, offset + 1});
    } else {
      range[0] = Math.min(range[0], offset);
      range[1] = Math.max(range[1], offset + 1);
    }
    watermark = watermark.max(event.position());
    events++;
    keptAsText += UnrepresentableValues.countIn(buffered); // per change, as events count
    if (marksKeyChanges && event.keyMoved() && event.position().lsn() >= 0) {
      keyChangeLsns.add(event.position().lsn()); // the old key's last state is read from it
    }
  }

  /**
   * What a change adds besides its row: its key's record and entry in the map the buffer keeps by
   * key (the fold by key; a changelog's last row per key), and a changelog's list slot.
   */
  private long keyCost(ChangeEvent event, Object buffered) {
    Struct key = event.key();
    long listSlot = marksKeyChanges ? RecordSizes.LIST_SLOT : 0; // a changelog lists its rows
    if (key == null) {
      return listSlot;
    }
    // a delete buffers its key record alone, already counted as the row
    boolean keyOnly =
        buffered instanceof StructLike record && record.size() == key.schema().fields().size();
    return listSlot + RecordSizes.KEY_ENTRY + (keyOnly ? 0 : RecordSizes.keyRecord(key));
  }

  void filled(RowFills.Counts more) {
    filled = filled.plus(more);
  }

  /** The flush being written has {@code count} rows of keys the table certainly does not hold. */
  void newKeys(int count) {
    newKeys = count;
  }

  /**
   * The flush being written deletes these earlier rows by position, and so many keys by equality.
   */
  void deletes(RowPositions byPosition, int byEquality) {
    deletedRows = byPosition;
    equalityDeletes = byEquality;
  }

  int events() {
    return events;
  }

  long bytes() {
    return bytes;
  }

  TableFlush flushOf(Table table, WriteResult files, Expression conflictFilter) {
    return new TableFlush(
        table,
        files,
        offsets(0),
        offsets(1),
        watermark,
        events,
        Set.copyOf(keyChangeLsns),
        filled,
        keptAsText,
        conflictFilter,
        newKeys,
        deletedRows,
        equalityDeletes);
  }

  /**
   * The snapshot of old keys' states written before a flush's own: it applies no change event and
   * moves no offset, but it is fenced like the flush whose changes it comes from.
   */
  TableFlush statesBeforeKeyChanges(
      Table table, WriteResult files, Set<Long> keyChanges, Expression conflictFilter) {
    return new TableFlush(
        table,
        files,
        offsets(0),
        Map.of(),
        SourcePosition.UNKNOWN,
        0,
        Set.copyOf(keyChanges),
        RowFills.Counts.NONE,
        0,
        conflictFilter,
        0,
        RowPositions.NONE,
        0);
  }

  /** Per partition, the first offsets ({@code 0}) or the next ones ({@code 1}). */
  private Map<TopicPartition, Long> offsets(int end) {
    Map<TopicPartition, Long> out = new HashMap<>();
    offsets.forEach((tp, range) -> out.put(tp, range[end]));
    return Map.copyOf(out);
  }

  void clear() {
    offsets = new HashMap<>();
    watermark = SourcePosition.UNKNOWN;
    events = 0;
    bytes = 0;
    keyChangeLsns = new HashSet<>();
    filled = RowFills.Counts.NONE;
    keptAsText = 0;
    newKeys = 0;
    deletedRows = RowPositions.NONE;
    equalityDeletes = 0;
  }
}
