package dev.floe.source;

import dev.floe.common.FloeVersion;
import dev.floe.source.capture.ColumnNumbers;
import dev.floe.source.capture.NewTableSnapshots;
import dev.floe.source.convert.ExplicitNulls;
import dev.floe.source.limits.RecordSizeLimit;
import dev.floe.source.slot.SlotLossCheck;
import io.debezium.config.Configuration;
import io.debezium.connector.postgresql.PostgresConnectorTask;
import io.debezium.connector.postgresql.PostgresOffsetContext;
import io.debezium.connector.postgresql.PostgresPartition;
import io.debezium.pipeline.ChangeEventSourceCoordinator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Debezium's Postgres task, checked before each start (Debezium also restarts it after a retriable
 * error): a connector that streamed before must find its replication slot, or it fails rather than
 * create a new one and skip changes. The events it hands Connect keep explicit NULLs NULL through
 * any converter ({@link ExplicitNulls}); a change too large for Kafka's producer is caught before
 * it is handed over, with the row and the settings to raise ({@link RecordSizeLimit}); each carries
 * its columns' Postgres numbers, which tell the sink a rename from a drop and an add ({@link
 * ColumnNumbers}).
 */
public class PostgresCdcSourceTask extends PostgresConnectorTask {
  private final ExplicitNulls explicitNulls = new ExplicitNulls();
  private RecordSizeLimit sizeLimit = RecordSizeLimit.of(Map.of());
  private ColumnNumbers columnNumbers;

  @Override
  public String version() {
    return FloeVersion.get();
  }

  @Override
  public ChangeEventSourceCoordinator<PostgresPartition, PostgresOffsetContext> start(
      Configuration config) {
    SlotLossCheck.verify(config.asMap(), context.offsetStorageReader());
    sizeLimit = RecordSizeLimit.of(config.asMap());
    columnNumbers = new ColumnNumbers(config.asMap());
    ChangeEventSourceCoordinator<PostgresPartition, PostgresOffsetContext> started =
        super.start(config);
    // the schemas are read: snapshots of tables added while the connector ran can be asked for
    NewTableSnapshots.signal(config.asMap());
    return started;
  }

  @Override
  public List<SourceRecord> doPoll() throws InterruptedException {
    List<SourceRecord> records = super.doPoll();
    if (records == null || records.isEmpty()) {
      return records;
    }
    List<SourceRecord> kept = new ArrayList<>(records.size());
    for (SourceRecord record : records) {
      sizeLimit.check(record);
      SourceRecord event = explicitNulls.keep(record);
      columnNumbers.label(event);
      kept.add(event);
    }
    return kept;
  }

  @Override
  protected void doStop() {
    super.doStop();
    if (columnNumbers != null) {
      columnNumbers.close();
    }
  }
}
