package dev.floe.sink.commit;

import dev.floe.sink.route.TableProvisioner;
import dev.floe.sink.route.TableRouter;
import dev.floe.sink.schema.SchemaEvolver;
import dev.floe.sink.write.TableWriters;
import dev.floe.sink.write.WriteMode;
import org.apache.iceberg.catalog.Catalog;

/** A task's commit cycle as the connector wires it in upsert mode, for tests of evolution. */
public final class UpsertCycles {
  private UpsertCycles() {}

  /** Tables auto-created in namespace {@code cdc}, format v2, flushes of up to 1,000 changes. */
  public static CommitCycle of(Catalog catalog, SchemaEvolver evolver) {
    return of(catalog, evolver, 2);
  }

  /** As {@link #of(Catalog, SchemaEvolver)}, tables created in {@code formatVersion}. */
  public static CommitCycle of(Catalog catalog, SchemaEvolver evolver, int formatVersion) {
    TableWriters writers =
        new TableWriters(
            new TableRouter("cdc"),
            new TableProvisioner(catalog, true, formatVersion),
            WriteMode.UPSERT,
            evolver::aliasesFor,
            dev.floe.sink.fill.FillSettings.DEFAULT,
            1);
    return CommitCycleBuilder.of(writers, "sink").flushMaxRecords(1_000).evolver(evolver).build();
  }

  /** As {@link #of(Catalog, SchemaEvolver, int)} in format v3, with these key indexes. */
  public static CommitCycle withIndexes(Catalog catalog, dev.floe.sink.index.KeyIndexes indexes) {
    return withIndexes(catalog, 3, indexes);
  }

  /**
   * Tables in format v2 with no key index and no finding of rows: every key written is deleted by
   * equality first (the sink before its index, or with position deletes turned off).
   */
  public static CommitCycle byEquality(Catalog catalog) {
    return withIndexes(catalog, 2, dev.floe.sink.index.KeyIndexes.NONE);
  }

  private static CommitCycle withIndexes(
      Catalog catalog, int formatVersion, dev.floe.sink.index.KeyIndexes indexes) {
    TableWriters writers =
        new TableWriters(
            new TableRouter("cdc"),
            new TableProvisioner(catalog, true, formatVersion),
            WriteMode.UPSERT,
            table -> java.util.Map.of(),
            dev.floe.sink.fill.FillSettings.DEFAULT,
            indexes,
            1);
    return CommitCycleBuilder.of(writers, "sink").flushMaxRecords(1_000).build();
  }

  /**
   * Tables in format v2 with these key indexes, unchanged values filled (a key change's old row
   * awaited for 60 s), refused records handed to {@code refusals}.
   */
  public static CommitCycle refusingTo(
      Catalog catalog,
      dev.floe.sink.index.KeyIndexes indexes,
      dev.floe.sink.fill.Refusals refusals) {
    TableWriters writers =
        new TableWriters(
            new TableRouter("cdc"),
            new TableProvisioner(catalog, true, 2),
            WriteMode.UPSERT,
            table -> java.util.Map.of(),
            new dev.floe.sink.fill.FillSettings(
                dev.floe.sink.schema.UnavailableValues.DEFAULT, 60_000, 0),
            indexes,
            1);
    return CommitCycleBuilder.of(writers, "sink").flushMaxRecords(1_000).refusals(refusals).build();
  }

  /**
   * As {@link #of(Catalog, SchemaEvolver)}, retrying a failed commit for up to 30 s (commits that
   * race other tasks' commits).
   */
  public static CommitCycle retrying(Catalog catalog) {
    return retrying(catalog, 2);
  }

  /** As {@link #retrying(Catalog)}, tables created in {@code formatVersion}. */
  public static CommitCycle retrying(Catalog catalog, int formatVersion) {
    TableWriters writers =
        new TableWriters(
            new TableRouter("cdc"), new TableProvisioner(catalog, true, formatVersion), 1);
    return CommitCycleBuilder.of(writers, "sink")
        .flushMaxRecords(1_000)
        .retries(new dev.floe.sink.errors.RetryBudget(30_000))
        .build();
  }
}
