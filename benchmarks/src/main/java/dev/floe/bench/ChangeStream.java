package dev.floe.bench;

import dev.floe.sink.event.ChangeEvent;
import dev.floe.sink.event.ChangeEventParser;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * An endless CDC stream of {@link OrderEvents} in one Kafka partition, offsets counting up. The mix
 * decides each change: a new key, an update of a live key (any key inserted before, most of them in
 * earlier flushes, as in a table that is mostly updated in place), or a delete of one. Seeded, so
 * every run sees the same stream.
 */
final class ChangeStream {
  private final ChangeMix mix;
  private final Random random = new Random(42);
  private final ChangeEventParser parser = new ChangeEventParser();
  private int[] live = new int[1024]; // keys present in the table, in no order
  private int liveCount;
  private int nextKey;
  private long nextOffset;

  ChangeStream(ChangeMix mix) {
    this.mix = mix;
  }

  /** The next {@code n} records, as the sink task receives them from Kafka. */
  List<SinkRecord> records(int n) {
    List<SinkRecord> records = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      records.add(next());
    }
    return records;
  }

  /** The next {@code n} changes, already parsed (the apply path starts from these). */
  List<ChangeEvent> events(int n) {
    List<ChangeEvent> events = new ArrayList<>(n);
    for (SinkRecord record : records(n)) {
      events.add(parser.parse(record));
    }
    return events;
  }

  private SinkRecord next() {
    long offset = nextOffset++;
    int dice = random.nextInt(100);
    if (liveCount == 0 || dice >= mix.updatePercent + mix.deletePercent) {
      // odd multiplier: a bijection on ints, so unordered keys stay distinct
      int key = mix.unordered ? nextKey++ * 0x9E3779B1 : nextKey++;
      remember(key);
      return OrderEvents.record("c", key, 0, offset);
    }
    // without deletes the live keys stay in the order they were inserted: the last are the newest
    int slot =
        mix.recentKeys > 0 && mix.deletePercent == 0
            ? liveCount - 1 - random.nextInt(Math.min(liveCount, mix.recentKeys))
            : random.nextInt(liveCount);
    int key = live[slot];
    if (dice < mix.deletePercent) {
      live[slot] = live[--liveCount]; // forget it: a deleted key is not updated again
      return OrderEvents.record("d", key, 0, offset);
    }
    SinkRecord update = OrderEvents.record("u", key, 1 + (int) (offset % 1_000), offset);
    if (random.nextInt(100) < mix.unchangedToastPercent) {
      OrderEvents.unchangedNote(update);
    }
    return update;
  }

  private void remember(int key) {
    if (liveCount == live.length) {
      live = Arrays.copyOf(live, live.length * 2);
    }
    live[liveCount++] = key;
  }
}
