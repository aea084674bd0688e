package dev.floe.sink.summary;

import dev.floe.sink.event.SourcePosition;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotUpdate;
import org.apache.kafka.common.TopicPartition;

/**
 * What a sink commit records in its snapshot summary, and the one place that writes and reads it:
 * the source of truth for exactly-once (the next offset of every partition the table holds), the
 * source watermark, the events applied, and the primary-key changes whose old rows the snapshot
 * holds as they were just before the change.
 */
public final class CommitSummary {
  public static final String CONNECTOR = "floe.connector";
  public static final String OFFSETS = "floe.kafka.next-offsets";

  /** Present when {@link #OFFSETS} covers every partition the table holds, not only the flush's. */
  public static final String OFFSETS_SCOPE = "floe.kafka.offsets-scope";

  public static final String SOURCE_TS_MS = "floe.source.max-commit-ts-ms";
  public static final String SOURCE_LSN = "floe.source.max-lsn";
  public static final String EVENTS = "floe.events";
  public static final String KEY_CHANGES = "floe.key-changes.lsn";

  /** Set by the sink's maintenance on its commits (compaction, manifests): not changes. */
  public static final String MAINTENANCE = "floe.maintenance";

  private CommitSummary() {}

  /** Writes a sink commit's summary into {@code update}. */
  public static void write(
      SnapshotUpdate<?> update,
      String connector,
      Map<TopicPartition, Long> nextOffsets,
      SourcePosition watermark,
      int events,
      Set<Long> keyChangeLsns) {
    update.set(CONNECTOR, connector);
    update.set(OFFSETS, encode(nextOffsets));
    update.set(OFFSETS_SCOPE, "table");
    update.set(SOURCE_TS_MS, String.valueOf(watermark.commitTimeMs()));
    update.set(SOURCE_LSN, String.valueOf(watermark.lsn()));
    update.set(EVENTS, String.valueOf(events));
    if (!keyChangeLsns.isEmpty()) {
      StringJoiner lsns = new StringJoiner(",");
      keyChangeLsns.stream().sorted().forEach(lsn -> lsns.add(Long.toString(lsn)));
      update.set(KEY_CHANGES, lsns.toString());
    }
  }

  /** Whether {@code snapshot} is a sink commit (not a maintenance run's or another writer's). */
  public static boolean isSinkCommit(Snapshot snapshot) {
    return snapshot.summary().containsKey(OFFSETS);
  }

  /** Whether {@code snapshot}'s offsets cover every partition the table held when it committed. */
  public static boolean recordsEveryPartition(Snapshot snapshot) {
    return snapshot.summary().containsKey(OFFSETS_SCOPE);
  }

  /** The next offsets {@code connector} recorded in {@code snapshot}; empty for others' commits. */
  public static Map<TopicPartition, Long> nextOffsets(Snapshot snapshot, String connector) {
    Map<String, String> summary = snapshot.summary();
    return connector.equals(summary.get(CONNECTOR)) ? decode(summary.get(OFFSETS)) : Map.of();
  }

  /** The change events {@code snapshot} applied (0 for snapshots not the sink's). */
  public static long events(Snapshot snapshot) {
    return Long.parseLong(snapshot.summary().getOrDefault(EVENTS, "0"));
  }

  /** The raw key-change entry of {@code snapshot}, or null; parse it with {@link #lsns}. */
  public static String keyChanges(Snapshot snapshot) {
    return snapshot.summary().get(KEY_CHANGES);
  }

  public static Set<Long> lsns(String keyChanges) {
    Set<Long> lsns = new HashSet<>();
    for (String lsn : keyChanges.split(",")) {
      lsns.add(Long.parseLong(lsn));
    }
    return lsns;
  }

  /**
   * Offsets as {@code topic/partition=nextOffset}, comma-separated, sorted. A topic name cannot
   * hold a comma or an equals sign, and the partition follows the last slash.
   */
  static String encode(Map<TopicPartition, Long> offsets) {
    Map<String, Long> sorted = new TreeMap<>();
    offsets.forEach((tp, offset) -> sorted.put(tp.topic() + "/" + tp.partition(), offset));
    StringJoiner out = new StringJoiner(",");
    sorted.forEach((tp, offset) -> out.add(tp + "=" + offset));
    return out.toString();
  }

  static Map<TopicPartition, Long> decode(String encoded) {
    Map<TopicPartition, Long> offsets = new HashMap<>();
    if (encoded == null || encoded.isEmpty()) {
      return offsets;
    }
    for (String entry : encoded.split(",")) {
      int eq = entry.lastIndexOf('=');
      int slash = entry.lastIndexOf('/', eq);
      offsets.put(
          new TopicPartition(
              entry.substring(0, slash), Integer.parseInt(entry.substring(slash + 1, eq))),
          Long.parseLong(entry.substring(eq + 1)));
    }
    return offsets;
  }
}
