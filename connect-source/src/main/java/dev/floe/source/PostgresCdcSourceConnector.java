package dev.floe.source;

import dev.floe.common.FloeVersion;
import dev.floe.source.config.SourceDatabase;
import dev.floe.source.config.SourceDefaults;
import dev.floe.source.control.ControlTables;
import dev.floe.source.slot.SlotHealthConfig;
import dev.floe.source.slot.SlotHealthMonitor;
import io.debezium.connector.postgresql.PostgresConnector;
import io.debezium.connector.postgresql.connection.PostgresConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;

/**
 * Floe's Postgres CDC source: Debezium's {@link PostgresConnector} (pgoutput, consistent snapshot,
 * then the WAL) started with the defaults Floe's Iceberg sink expects. Every default can be
 * overridden in the connector's REST config; the class only adapts Connect's calls, the defaults
 * live in {@link SourceDefaults}, the slot's watch in {@link SlotHealthMonitor}.
 */
public class PostgresCdcSourceConnector extends PostgresConnector {
  private SlotHealthMonitor slotHealth;

  @Override
  public String version() {
    return FloeVersion.get();
  }

  @Override
  public void start(Map<String, String> props) {
    Map<String, String> config = SourceDefaults.apply(props);
    // the publication Debezium creates can only name tables that exist
    try (PostgresConnection connection = SourceDatabase.connect(config, "floe-control-tables")) {
      ControlTables.ensureExist(connection, config);
    }
    super.start(config);
    slotHealth = SlotHealthMonitor.start(config, context());
  }

  @Override
  public Class<? extends Task> taskClass() {
    return PostgresCdcSourceTask.class;
  }

  @Override
  public void stop() {
    if (slotHealth != null) {
      slotHealth.close();
      slotHealth = null;
    }
    super.stop();
  }

  @Override
  public ConfigDef config() {
    return SlotHealthConfig.define(new ConfigDef(super.config()));
  }

  @Override
  public Config validate(Map<String, String> connectorConfigs) {
    Map<String, String> config = SourceDefaults.apply(connectorConfigs);
    List<ConfigValue> values = new ArrayList<>(super.validate(config).configValues());
    values.addAll(SlotHealthConfig.define(new ConfigDef()).validate(config));
    return new Config(values);
  }
}
