package dev.floe.bench;

import dev.floe.sink.commit.CommitCycle;
import dev.floe.sink.commit.CommitCycleBuilder;
import dev.floe.sink.fill.FillSettings;
import dev.floe.sink.index.KeyIndexes;
import dev.floe.sink.maintain.MaintenanceRun;
import dev.floe.sink.maintain.MaintenanceSettings;
import dev.floe.sink.maintain.TableFiles;
import dev.floe.sink.route.TableProvisioner;
import dev.floe.sink.route.TableRouter;
import dev.floe.sink.write.TableWriters;
import dev.floe.sink.write.WriteMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;

/**
 * Writes the tables another engine is checked against (module {@code engine-tests}): one CDC stream
 * (half inserts, 30% updates, 20% deletes) applied by the sink in each layout it leaves, each in
 * its own Hadoop-catalog warehouse under the directory given, with the rows Iceberg's own Java
 * reader gets in {@code expected.txt} and the table's file counts in {@code files.txt} next to it.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar dev.floe.bench.EngineCheckTables DIR}
 */
public final class EngineCheckTables {
  /** The columns compared: every type another engine reads the same way in any locale. */
  public static final List<String> COLUMNS =
      List.of(
          "id", "customer_id", "customer_name", "status", "paid", "quantity", "weight_kg", "note");

  /** How the sink left the table: its format and how earlier rows were deleted. */
  enum Layout {
    V3_DELETION_VECTORS(3, true, false),
    V2_POSITION_DELETES(2, true, false),
    V3_EQUALITY_DELETES(3, false, false),
    V3_COMPACTED(3, true, true);

    final int formatVersion;
    final boolean positionDeletes;
    final boolean compacted;

    Layout(int formatVersion, boolean positionDeletes, boolean compacted) {
      this.formatVersion = formatVersion;
      this.positionDeletes = positionDeletes;
      this.compacted = compacted;
    }
  }

  private EngineCheckTables() {}

  public static void main(String[] args) throws IOException {
    Path root = Path.of(args[0]);
    for (Layout layout : Layout.values()) {
      Path directory = root.resolve(layout.name().toLowerCase(java.util.Locale.ROOT));
      Files.createDirectories(directory);
      write(new LocalWarehouse(directory), layout, directory);
    }
  }

  private static void write(LocalWarehouse warehouse, Layout layout, Path directory)
      throws IOException {
    TableWriters writers =
        new TableWriters(
            new TableRouter("cdc"),
            new TableProvisioner(warehouse.catalog(), true, layout.formatVersion),
            WriteMode.UPSERT,
            t -> Map.of(),
            FillSettings.DEFAULT,
            new KeyIndexes(true, KeyIndexes.DEFAULT_MAX_BYTES, layout.positionDeletes),
            0);
    CommitCycle cycle = CommitCycleBuilder.of(writers, "engines").flushMaxRecords(2_000).build();
    ChangeStream stream = new ChangeStream(ChangeMix.DELETES);
    for (int flush = 0; flush < 12; flush++) {
      stream.events(2_000).forEach(cycle::apply);
      cycle.commit();
    }
    Table table = warehouse.catalog().loadTable(TableIdentifier.of("cdc", "public_orders"));
    if (layout.compacted) {
      MaintenanceRun.of(
              table,
              new MaintenanceSettings(
                  true, 1_000, true, 1, 2, Long.MAX_VALUE, false, 0, 1, false, 0))
          .run(System.currentTimeMillis());
      table.refresh();
    }
    List<String> rows = new ArrayList<>();
    try (CloseableIterable<Record> records = IcebergGenerics.read(table).select(COLUMNS).build()) {
      for (Record record : records) {
        List<String> values = new ArrayList<>();
        COLUMNS.forEach(column -> values.add(String.valueOf(record.getField(column))));
        rows.add(String.join("|", values));
      }
    }
    rows.sort(java.util.Comparator.comparingInt(row -> Integer.parseInt(row.split("\\|")[0])));
    Files.write(directory.resolve("expected.txt"), rows);
    TableFiles files = TableFiles.of(table, table.currentSnapshot());
    Files.write(
        directory.resolve("files.txt"),
        List.of(
            "data=" + files.tasks().size(),
            "position-deletes=" + files.positionDeleteFiles(),
            "equality-deletes=" + files.equalityDeleteFiles()));
  }
}
