package dev.floe.sink;

import dev.floe.common.FloeVersion;
import dev.floe.common.config.NullValuesCheck;
import dev.floe.sink.config.CatalogReachability;
import dev.floe.sink.config.SinkConfig;
import dev.floe.sink.errors.BadRecordPolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * Floe's Iceberg CDC sink: applies Debezium change events (inserts, updates, deletes) to Iceberg
 * tables. The connector only validates and hands each task the same settings; the work happens in
 * {@link IcebergCdcSinkTask}.
 */
public class IcebergCdcSinkConnector extends SinkConnector {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(IcebergCdcSinkConnector.class);
  private Map<String, String> props;

  @Override
  public String version() {
    return FloeVersion.get();
  }

  @Override
  public void start(Map<String, String> props) {
    new SinkConfig(props);
    this.props = Map.copyOf(props);
  }

  @Override
  public Class<? extends Task> taskClass() {
    return IcebergCdcSinkTask.class;
  }

  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    List<Map<String, String>> configs = new ArrayList<>(maxTasks);
    for (int i = 0; i < maxTasks; i++) {
      // the task's number, for its metrics on a worker without plugin metrics (which tag them)
      Map<String, String> task = new java.util.HashMap<>(props);
      task.put(IcebergCdcSinkTask.TASK_ID, String.valueOf(i));
      configs.add(task);
    }
    return configs;
  }

  @Override
  public void stop() {}

  @Override
  public ConfigDef config() {
    return SinkConfig.CONFIG_DEF;
  }

  @Override
  public Config validate(Map<String, String> connectorConfigs) {
    Config config = super.validate(connectorConfigs);
    Map<String, ConfigValue> byKey = new LinkedHashMap<>();
    config.configValues().forEach(value -> byKey.put(value.name(), value));
    SinkConfig.validate(connectorConfigs, byKey);
    CatalogReachability.check(connectorConfigs, byKey);
    NullValuesCheck.check(connectorConfigs, byKey);
    // a legal setting, so not an error (Connect's validation has no warnings): said in the log here
    // and again at each task's start
    String dropping = BadRecordPolicy.warning(connectorConfigs);
    if (dropping != null) {
      LOG.warn("Connector {}: {}", connectorConfigs.get("name"), dropping);
    }
    return new Config(new ArrayList<>(byKey.values()));
  }
}
