package dev.floe.bench;

import dev.floe.sink.commit.CommitCycle;
import dev.floe.sink.index.KeyIndexes;
import dev.floe.sink.maintain.MaintenanceRun;
import dev.floe.sink.maintain.MaintenanceSettings;
import dev.floe.sink.maintain.TableFiles;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.FanoutDataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What readers pay for how the sink wrote a table: the same CDC stream (inserts, 30% updates, 20%
 * deletes) applied by the sink, then read by Iceberg's generic reader, in full and by one key.
 * Layouts: as the sink leaves it between maintenance runs (deleting by position, the default; by
 * equality; by equality without the key index); after the sink's compaction; and the same final
 * rows written append-only, the floor. Tables in format v3, the sink's default.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
// the setup leaves a heap full of the writer's garbage: short warmups measured its collection, not
// the reads (1.6x the floor for a compacted table with 1 x 3 s of warmup, 1.05x with 3 x 3 s)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 8, time = 3)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class ReadCostBenchmark {
  public enum Layout {
    CDC,
    CDC_EQUALITY_DELETES,
    CDC_WITHOUT_KEY_INDEX,
    COMPACTED,
    APPEND_ONLY
  }

  @Param({"CDC", "CDC_EQUALITY_DELETES", "CDC_WITHOUT_KEY_INDEX", "COMPACTED", "APPEND_ONLY"})
  public Layout layout;

  /** Flushes of 10 000 events: a commit interval's worth each. */
  @Param({"30"})
  public int flushes;

  private LocalWarehouse warehouse;
  private Table table;
  private final List<Integer> keys = new ArrayList<>();
  private final Random random = new Random(7);

  @Setup(Level.Trial)
  public void writeTable() throws IOException {
    warehouse = new LocalWarehouse();
    CommitCycle cycle =
        UpsertTasks.of(
            warehouse.catalog(),
            3,
            new KeyIndexes(
                layout != Layout.CDC_WITHOUT_KEY_INDEX,
                KeyIndexes.DEFAULT_MAX_BYTES,
                layout != Layout.CDC_WITHOUT_KEY_INDEX && layout != Layout.CDC_EQUALITY_DELETES),
            10_000);
    ChangeStream stream = new ChangeStream(ChangeMix.DELETES);
    for (int flush = 0; flush < flushes; flush++) {
      stream.events(10_000).forEach(cycle::apply);
      cycle.commit();
    }
    table = warehouse.catalog().loadTable(TableIdentifier.of("cdc", "public_orders"));
    if (layout == Layout.COMPACTED) {
      MaintenanceRun.of(table, MaintenanceSettings.DEFAULT).run(System.currentTimeMillis());
      table.refresh();
    } else if (layout == Layout.APPEND_ONLY) {
      table = appendOnlyCopy(table);
    }
    try (CloseableIterable<Record> rows = IcebergGenerics.read(table).select("id").build()) {
      rows.forEach(row -> keys.add((Integer) row.getField("id")));
    }
    TableFiles files = TableFiles.of(table, table.currentSnapshot());
    System.out.printf(
        "%n%s: %d rows, %d data files, %d equality and %d position delete files%n",
        layout,
        keys.size(),
        files.tasks().size(),
        files.equalityDeleteFiles(),
        files.positionDeleteFiles());
    System.gc(); // the writer's garbage is not the readers' to pay
  }

  /** The same live rows in one append: the layout no CDC writer can beat. */
  private Table appendOnlyCopy(Table cdc) throws IOException {
    Table copy = warehouse.createOrdersTable("cdc.append_only_orders");
    GenericFileWriterFactory writers =
        new GenericFileWriterFactory.Builder(copy).dataFileFormat(FileFormat.PARQUET).build();
    OutputFileFactory names =
        OutputFileFactory.builderFor(copy, 0, 0)
            .format(FileFormat.PARQUET)
            .operationId(UUID.randomUUID().toString())
            .build();
    FanoutDataWriter<Record> data =
        new FanoutDataWriter<>(
            writers, names, copy.io(), TableProperties.WRITE_TARGET_FILE_SIZE_BYTES_DEFAULT);
    try (CloseableIterable<Record> rows = IcebergGenerics.read(cdc).build()) {
      for (Record row : rows) {
        Record kept = org.apache.iceberg.data.GenericRecord.create(copy.schema());
        copy.schema().columns().forEach(c -> kept.setField(c.name(), row.getField(c.name())));
        data.write(kept, copy.spec(), null);
      }
    }
    data.close();
    AppendFiles append = copy.newAppend();
    for (DataFile file : data.result().dataFiles()) {
      append.appendFile(file);
    }
    append.commit();
    return copy;
  }

  @Benchmark
  public long fullScan() throws IOException {
    long rows = 0;
    try (CloseableIterable<Record> all = IcebergGenerics.read(table).build()) {
      for (Record ignored : all) {
        rows++;
      }
    }
    return rows;
  }

  @Benchmark
  public long pointLookup() throws IOException {
    int key = keys.get(random.nextInt(keys.size()));
    long rows = 0;
    try (CloseableIterable<Record> found =
        IcebergGenerics.read(table).where(Expressions.equal("id", key)).build()) {
      for (Record ignored : found) {
        rows++;
      }
    }
    if (rows != 1) {
      throw new IllegalStateException("key " + key + " read " + rows + " times");
    }
    return rows;
  }

  @TearDown(Level.Trial)
  public void dropTables() throws IOException {
    warehouse.close();
  }
}
