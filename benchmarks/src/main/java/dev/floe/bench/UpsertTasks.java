package dev.floe.bench;

import dev.floe.sink.commit.CommitCycle;
import dev.floe.sink.commit.CommitCycleBuilder;
import dev.floe.sink.fill.FillSettings;
import dev.floe.sink.index.KeyIndexes;
import dev.floe.sink.route.TableProvisioner;
import dev.floe.sink.route.TableRouter;
import dev.floe.sink.write.TableWriters;
import dev.floe.sink.write.WriteMode;
import java.util.Map;
import org.apache.iceberg.catalog.Catalog;

/**
 * A sink task's own wiring as the benchmarks run it: upsert mode, tables created in {@code cdc}, no
 * retries (a local disk does not fail), no byte bound, so every flush is exactly {@code
 * flushMaxRecords} events.
 */
final class UpsertTasks {
  private UpsertTasks() {}

  static CommitCycle of(
      Catalog catalog, int formatVersion, KeyIndexes indexes, int flushMaxRecords) {
    TableWriters writers =
        new TableWriters(
            new TableRouter("cdc"),
            new TableProvisioner(catalog, true, formatVersion),
            WriteMode.UPSERT,
            table -> Map.of(),
            FillSettings.DEFAULT,
            indexes,
            0);
    return CommitCycleBuilder.of(writers, "bench").flushMaxRecords(flushMaxRecords).build();
  }

  /**
   * With the connector's default key index: rows deleted by position, and its memory ({@code
   * iceberg.tables.key-index.max-bytes}), or {@code -Dfloe.bench.key-index-bytes} to see a table
   * larger than the index's room without writing one.
   */
  static CommitCycle of(Catalog catalog, int formatVersion, int flushMaxRecords) {
    long maxBytes = Long.getLong("floe.bench.key-index-bytes", KeyIndexes.DEFAULT_MAX_BYTES);
    return of(catalog, formatVersion, new KeyIndexes(true, maxBytes, true), flushMaxRecords);
  }
}
