package dev.floe.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.connect.IcebergSinkConfig;
import org.apache.iceberg.connect.data.IcebergWriterResult;
import org.apache.iceberg.connect.data.SinkWriter;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Apache Iceberg's Kafka Connect sink (1.12) as its task and coordinator write one table: its
 * task-side {@link SinkWriter} saves the records (Parquet written as they come), then its data
 * files are committed in one {@link AppendFiles}, which is what its coordinator does once the
 * control topic has gathered every task's files (the Kafka round trip is left out, as Floe's Kafka
 * side is). It reads flat rows: {@link #flatten} gives each Debezium event as {@code
 * ExtractNewRecordState} would leave it. The table is created up front with the schema Floe gives
 * it, so both sinks write the same Parquet columns.
 */
final class PeerSink implements AutoCloseable {
  private final Table table;
  private final SinkWriter writer;

  PeerSink(LocalWarehouse warehouse, String tableName) {
    table = warehouse.createOrdersTable(tableName);
    // its config insists on catalog settings; they describe the catalog it is handed
    IcebergSinkConfig config =
        new IcebergSinkConfig(
            Map.of(
                "name",
                "peer",
                "iceberg.tables",
                tableName,
                "iceberg.catalog.catalog-impl",
                HadoopCatalog.class.getName(),
                "iceberg.catalog.warehouse",
                warehouse.location()));
    writer = new SinkWriter(warehouse.catalog(), config);
  }

  /** The {@code after} rows of Debezium change events, as flat records. */
  static List<SinkRecord> flatten(List<SinkRecord> changes) {
    List<SinkRecord> rows = new ArrayList<>(changes.size());
    for (SinkRecord change : changes) {
      Struct after = ((Struct) change.value()).getStruct("after");
      rows.add(
          change.newRecord(
              change.topic(),
              change.kafkaPartition(),
              change.keySchema(),
              change.key(),
              OrderEvents.ROW,
              after,
              change.timestamp()));
    }
    return rows;
  }

  /** Writes the rows into data files, as its task does at each {@code put}. */
  void save(List<SinkRecord> rows) {
    writer.save(rows);
  }

  /** Commits what was saved since the last commit, as its coordinator does. */
  void commit() {
    AppendFiles append = table.newAppend();
    for (IcebergWriterResult written : writer.completeWrite().writerResults()) {
      for (DataFile file : written.dataFiles()) {
        append.appendFile(file);
      }
    }
    append.commit();
  }

  Table table() {
    return table;
  }

  @Override
  public void close() throws IOException {
    writer.close();
  }
}
