package dev.floe.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The change events (or rows) one benchmark operation handles, which JMH reports per second as
 * {@code :events} next to the operations (flushes, commits) per second.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class RowCounter {
  public long events;

  @Setup(Level.Iteration)
  public void reset() {
    events = 0;
  }
}
