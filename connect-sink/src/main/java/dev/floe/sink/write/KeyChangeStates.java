package dev.floe.sink.write;

import dev.floe.sink.fill.RowFills;
import dev.floe.sink.fill.ToastThreshold;
import dev.floe.sink.index.KeyMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.data.Record;

/**
 * The primary-key changes whose delete of the old key is in this buffer, by the change's LSN (a key
 * may change, come back and change again within one buffer): the old key and its state just before
 * the change. A change whose new row arrives here too is claimed by it; the others are committed
 * ahead of the buffer, in a snapshot of their own that records their LSNs, as soon as their states
 * are complete, even while the buffer itself waits. The task that gets the new row reads the old
 * row from that snapshot, so two tasks waiting on each other's key changes never wait on each
 * other's whole buffers.
 */
final class KeyChangeStates {
  /**
   * @param state the old key's state before the change; null: the key's row in the table is it
   */
  record Change(Record oldKey, Record state) {}

  private Map<Long, Change> unclaimed = new LinkedHashMap<>();
  private Map<Long, Change> claimable = new LinkedHashMap<>();
  private final List<Long> inFlight = new ArrayList<>();

  /**
   * {@code oldKey} was deleted by a key change at {@code lsn}, after holding {@code state}.
   *
   * @param stateComplete whether {@code state} holds its values already: one still waiting for
   *     values from the table is no measure of the row's size
   */
  void left(Record oldKey, Record state, long lsn, boolean stateComplete) {
    if (lsn >= 0 && !claimable.containsKey(lsn)) {
      // the first delete of a change wins: the same change again is the source replaying it, and
      // the old key's state before the replayed delete is no longer the one before the change
      Change change = new Change(oldKey, state);
      claimable.put(lsn, change);
      if (state == null || !stateComplete || ToastThreshold.mayHaveOutOfLineValues(state)) {
        // a row too small to have had an out-of-line value leaves its new row nothing to take
        // from it on another task: nothing to commit ahead
        unclaimed.put(lsn, change);
      }
    }
  }

  /**
   * The key change at {@code lsn} if its delete is in this buffer, taken by its new row, which is
   * here too: nobody else needs the old state. Null otherwise.
   */
  Change claim(long lsn) {
    unclaimed.remove(lsn);
    return claimable.get(lsn);
  }

  /** {@code row} cannot be completed: it is never written. */
  void drop(Record row) {
    unclaimed.values().removeIf(change -> change.state() == row);
  }

  boolean isEmpty() {
    return unclaimed.isEmpty();
  }

  /**
   * Writes every unclaimed complete state (one still waiting for values waits for a later call) and
   * returns the LSNs of the key changes they stand for; empty when none is ready.
   */
  Set<Long> write(FlushFileWriter files, RowFills fills, Schema keySchema) {
    Set<Long> lsns = new HashSet<>();
    inFlight.clear();
    Set<StructLike> written = KeyMap.setOf(keySchema.asStruct());
    for (Map.Entry<Long, Change> entry : unclaimed.entrySet()) {
      Record state = entry.getValue().state();
      if (state != null && fills.isPending(state)) {
        continue;
      }
      if (!written.add(entry.getValue().oldKey())) {
        continue; // a key written once per snapshot: its later change goes in the next one
      }
      if (state != null) {
        files.deleteKey(entry.getValue().oldKey());
        files.write(state);
      }
      lsns.add(entry.getKey());
      inFlight.add(entry.getKey());
    }
    return lsns;
  }

  /** What the last {@link #write} wrote is committed. */
  void committed() {
    inFlight.forEach(unclaimed::remove);
    inFlight.clear();
  }

  void clear() {
    unclaimed = new LinkedHashMap<>();
    claimable = new LinkedHashMap<>();
    inFlight.clear();
  }
}
