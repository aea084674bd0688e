package dev.floe.source;

import dev.floe.common.FloeVersion;
import dev.floe.source.slot.SlotLossCheck;
import io.debezium.config.Configuration;
import io.debezium.connector.postgresql.PostgresConnectorTask;
import io.debezium.connector.postgresql.PostgresOffsetContext;
import io.debezium.connector.postgresql.PostgresPartition;
import io.debezium.pipeline.ChangeEventSourceCoordinator;

/**
 * Debezium's Postgres task, checked before each start (Debezium also restarts it after a retriable
 * error): a connector that streamed before must find its replication slot, or it fails rather than
 * create a new one and skip changes.
 */
public class PostgresCdcSourceTask extends PostgresConnectorTask {

  @Override
  public String version() {
    return FloeVersion.get();
  }

  @Override
  public ChangeEventSourceCoordinator<PostgresPartition, PostgresOffsetContext> start(
      Configuration config) {
    SlotLossCheck.verify(config.asMap(), context.offsetStorageReader());
    return super.start(config);
  }
}
