package dev.floe.source;

import dev.floe.common.FloeVersion;
import dev.floe.source.config.SourceDefaults;
import io.debezium.connector.postgresql.PostgresConnector;
import java.util.Map;
import org.apache.kafka.common.config.Config;

/**
 * Floe's Postgres CDC source: Debezium's {@link PostgresConnector} (pgoutput, consistent snapshot,
 * then the WAL) started with the defaults Floe's Iceberg sink expects. Every default can be
 * overridden in the connector's REST config; the class only adapts Connect's calls, the defaults
 * live in {@link SourceDefaults}.
 */
public class PostgresCdcSourceConnector extends PostgresConnector {

  @Override
  public String version() {
    return FloeVersion.get();
  }

  @Override
  public void start(Map<String, String> props) {
    super.start(SourceDefaults.apply(props));
  }

  @Override
  public Config validate(Map<String, String> connectorConfigs) {
    return super.validate(SourceDefaults.apply(connectorConfigs));
  }
}
