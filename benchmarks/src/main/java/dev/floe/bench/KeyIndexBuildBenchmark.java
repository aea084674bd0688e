package dev.floe.bench;

import dev.floe.sink.index.KeyIndexes;
import dev.floe.sink.schema.TableKey;
import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
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
 * What a task pays to build a table's key index from the table (its first flush after a start or a
 * rebalance, or after a commit it cannot follow): the key columns of every data file read, each key
 * hashed into the Bloom filter. The table is the orders table with {@code rows} keys appended in
 * files of 1 million rows, on the local disk; the index's size is printed after the run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class KeyIndexBuildBenchmark {
  @Param({"1000000", "10000000"})
  public int rows;

  private LocalWarehouse warehouse;
  private Table table;
  private Schema keySchema;
  private long indexBytes;

  @Setup(Level.Trial)
  public void writeTable() throws IOException {
    warehouse = new LocalWarehouse();
    table = warehouse.createOrdersTable("cdc.keyed_orders");
    keySchema = TableKey.of(table).select(table.schema());
    GenericFileWriterFactory writers =
        new GenericFileWriterFactory.Builder(table).dataFileFormat(FileFormat.PARQUET).build();
    GenericRecord row = GenericRecord.create(table.schema());
    for (int start = 0; start < rows; start += 1_000_000) {
      OutputFileFactory files =
          OutputFileFactory.builderFor(table, 0, 0)
              .format(FileFormat.PARQUET)
              .operationId(UUID.randomUUID().toString())
              .build();
      FanoutDataWriter<Record> data =
          new FanoutDataWriter<>(
              writers, files, table.io(), TableProperties.WRITE_TARGET_FILE_SIZE_BYTES_DEFAULT);
      for (int id = start; id < Math.min(rows, start + 1_000_000); id++) {
        Record next = row.copy();
        next.setField("id", id);
        data.write(next, table.spec(), null);
      }
      data.close();
      AppendFiles append = table.newAppend();
      for (DataFile file : data.result().dataFiles()) {
        append.appendFile(file);
      }
      append.commit();
    }
  }

  @Benchmark
  public long buildIndex() {
    KeyIndexes indexes = new KeyIndexes(true, 1L << 30);
    indexes.of(table, keySchema).sync(table);
    indexBytes = indexes.bytesOf(table.name());
    return indexBytes;
  }

  @TearDown(Level.Trial)
  public void dropTable() throws IOException {
    System.out.printf(
        "%n%d keys: index of %d bytes (%.2f bytes per key)%n",
        rows, indexBytes, indexBytes / (double) rows);
    warehouse.close();
  }
}
