package dev.floe.sink.maintain;

import static dev.floe.sink.event.ChangeEvents.parse;
import static dev.floe.sink.event.ChangeEvents.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.floe.sink.commit.CommitCycle;
import dev.floe.sink.commit.UpsertCycles;
import dev.floe.sink.schema.SchemaEvolver;
import dev.floe.sink.write.TableRows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Orphan-file cleanup on a real file system: what a killed worker left (files written, never
 * committed) goes once old enough; everything the table references, and young files of a commit
 * that may still be under way, stay.
 */
class OrphanFilesTest {
  private static final long HOUR = 3_600_000L;

  @TempDir Path warehouse;

  @Test
  void oldUnreferencedFilesGoAndEverythingElseStays() throws Exception {
    HadoopCatalog catalog = new HadoopCatalog(new Configuration(), warehouse.toUri().toString());
    CommitCycle task = UpsertCycles.of(catalog, new SchemaEvolver(true), 3);
    task.apply(parse(record("c", 1, "one", 0)));
    task.apply(parse(record("c", 2, "two", 1)));
    task.commit();
    task.apply(parse(record("u", 1, "uno", 2)));
    task.apply(parse(record("d", 2, null, 3)));
    task.commit();
    Table table = catalog.loadTable(TableIdentifier.of("cdc", "public_items"));
    Path data = Path.of(java.net.URI.create(table.location())).resolve("data");
    Path committed;
    try (Stream<Path> files = Files.list(data)) {
      committed = files.filter(f -> f.toString().endsWith(".parquet")).findFirst().orElseThrow();
    }
    // a killed worker's flush: files written, never committed; one long ago, one just now
    Path old = Files.copy(committed, data.resolve("00000-killed-flush-00001.parquet"));
    Path young = Files.copy(committed, data.resolve("00000-flush-under-way-00001.parquet"));
    long now = System.currentTimeMillis();
    assertTrue(old.toFile().setLastModified(now - 2 * HOUR));
    List<String> before = TableRows.of(table, "id", "name");

    int deleted = OrphanFiles.run(table, HOUR, now);

    assertEquals(1, deleted);
    assertFalse(Files.exists(old), "an old file nothing references is deleted");
    assertTrue(Files.exists(young), "a young one may belong to a commit under way");
    table.refresh();
    assertEquals(List.of("1|uno"), TableRows.of(table, "id", "name"));
    assertEquals(before, TableRows.of(table, "id", "name"), "every referenced file is still there");
    assertEquals(0, OrphanFiles.run(table, HOUR, now), "nothing more to delete");
  }

  @Test
  void pathsCompareWithoutSchemeOrAuthority() {
    assertEquals(
        "/warehouse/t/data/a.parquet",
        OrphanFiles.pathOf("s3://bucket/warehouse/t/data/a.parquet"));
    assertEquals(
        "/warehouse/t/data/a.parquet",
        OrphanFiles.pathOf("s3a://bucket/warehouse//t/data/a.parquet"));
    assertEquals("/tmp/w/t/a.parquet", OrphanFiles.pathOf("file:/tmp/w/t/a.parquet"));
    assertEquals("/tmp/w/t/a.parquet", OrphanFiles.pathOf("/tmp/w/t/a.parquet"));
  }
}
