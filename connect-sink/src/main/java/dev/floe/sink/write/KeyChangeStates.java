package dev.floe.sink.write;

import dev.floe.sink.fill.RowFills;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.util.StructLikeMap;

/**
 * The old keys of primary-key changes this buffer deletes while the new row is not here (it is on
 * another partition, maybe another task's): each key's state just before the change, and the
 * change's LSN. They are committed ahead of the buffer, in a snapshot of their own that records the
 * LSNs, as soon as they are complete, even while the buffer itself waits: the task that gets the
 * new row reads the old row from that snapshot, and two tasks waiting on each other's key changes
 * never wait on each other's whole buffers.
 */
final class KeyChangeStates {
  /** A state (null: the key's row in the table is its last state) and the change's LSN. */
  private record Before(Record state, long lsn) {}

  private final Schema keySchema;
  private StructLikeMap<Before> byOldKey;
  private final List<StructLike> inFlight = new ArrayList<>();

  KeyChangeStates(Schema keySchema) {
    this.keySchema = keySchema;
    clear();
  }

  /** {@code oldKey} was deleted by a key change at {@code lsn}, after holding {@code state}. */
  void left(Record oldKey, Record state, long lsn) {
    if (lsn >= 0) {
      byOldKey.put(oldKey, new Before(state, lsn));
    }
  }

  /** The key change's new row is in this buffer: nobody else needs the old state. */
  void claimed(Record oldKey) {
    byOldKey.remove(oldKey);
  }

  /** {@code row} cannot be completed: it is never written. */
  void drop(Record row) {
    for (Map.Entry<StructLike, Before> entry : byOldKey.entrySet()) {
      if (entry.getValue().state() == row) {
        byOldKey.remove(entry.getKey());
        return;
      }
    }
  }

  boolean isEmpty() {
    return byOldKey.isEmpty();
  }

  /**
   * Writes every complete state (one still waiting for values waits for a later call) and returns
   * the LSNs of the key changes they stand for; empty when none is ready.
   */
  Set<Long> write(FlushFileWriter files, RowFills fills) {
    Set<Long> lsns = new HashSet<>();
    inFlight.clear();
    for (Map.Entry<StructLike, Before> entry : byOldKey.entrySet()) {
      Record state = entry.getValue().state();
      if (state != null && fills.isPending(state)) {
        continue;
      }
      if (state != null) {
        files.deleteKey((Record) entry.getKey());
        files.write(state);
      }
      lsns.add(entry.getValue().lsn());
      inFlight.add(entry.getKey());
    }
    return lsns;
  }

  /** What the last {@link #write} wrote is committed. */
  void committed() {
    inFlight.forEach(byOldKey::remove);
    inFlight.clear();
  }

  void clear() {
    byOldKey = StructLikeMap.create(keySchema.asStruct());
    inFlight.clear();
  }
}
