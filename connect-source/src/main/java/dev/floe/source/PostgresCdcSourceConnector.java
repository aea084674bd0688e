package dev.floe.source;

import dev.floe.common.FloeVersion;
import dev.floe.common.config.NullValuesCheck;
import dev.floe.source.capture.FilteredPublication;
import dev.floe.source.capture.NewTableSnapshots;
import dev.floe.source.capture.NewTableWatch;
import dev.floe.source.config.DatabaseDefaults;
import dev.floe.source.config.SourceConfig;
import dev.floe.source.config.SourceDatabase;
import dev.floe.source.config.SourceDefaults;
import dev.floe.source.control.ControlTables;
import dev.floe.source.preflight.Preflight;
import dev.floe.source.slot.SlotHealthMonitor;
import io.debezium.config.Configuration;
import io.debezium.connector.postgresql.PostgresConnector;
import io.debezium.connector.postgresql.connection.PostgresConnection;
import io.debezium.relational.TableId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;

/**
 * Floe's Postgres CDC source: Debezium's {@link PostgresConnector} (pgoutput, consistent snapshot,
 * then the WAL) started with the defaults Floe's Iceberg sink expects, after {@link Preflight}
 * checks of the database. Every default can be overridden in the connector's REST config; the class
 * only adapts Connect's calls: the defaults live in {@link SourceDefaults} and {@link
 * DatabaseDefaults}, Floe's own keys in {@link SourceConfig}, the slot's watch in {@link
 * SlotHealthMonitor}.
 */
public class PostgresCdcSourceConnector extends PostgresConnector {
  private SlotHealthMonitor slotHealth;
  private NewTableWatch newTables;
  // tables the watch added to the publication, and when: the task is restarted to snapshot them
  private final Map<TableId, Long> addedTables = new java.util.concurrent.ConcurrentSkipListMap<>();
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(PostgresCdcSourceConnector.class);
  private volatile Map<String, String> taskConfig = Map.of();

  @Override
  public String version() {
    return FloeVersion.get();
  }

  @Override
  public void start(Map<String, String> props) {
    Map<String, String> defaults = SourceDefaults.apply(props);
    // the publication Debezium creates can only name tables that exist
    try (PostgresConnection connection = SourceDatabase.connect(defaults, "floe-control-tables")) {
      ControlTables.ensureExist(connection, defaults);
    }
    Map<String, String> config = DatabaseDefaults.apply(defaults);
    Preflight.beforeStart(config);
    try (PostgresConnection connection = SourceDatabase.connect(config, "floe-publication")) {
      FilteredPublication.sync(connection, config);
    } catch (java.sql.SQLException e) {
      throw new org.apache.kafka.connect.errors.ConnectException(
          "Could not create or update publication "
              + config.get("publication.name")
              + ": "
              + e.getMessage()
              + " (docs/source-privileges.md)",
          e);
    }
    super.start(config);
    taskConfig = config;
    slotHealth = SlotHealthMonitor.start(config, context());
    newTables =
        NewTableWatch.start(
            config,
            tables -> {
              long now = System.currentTimeMillis();
              tables.forEach(table -> addedTables.put(table, now));
              try { // the new table's generated columns and domains, for the restarted task
                taskConfig = DatabaseDefaults.apply(defaults);
              } catch (RuntimeException unread) {
                LOG.warn(
                    "Could not read the new table's columns and types: {}", unread.getMessage());
              }
              context().requestTaskReconfiguration();
            });
  }

  /** Debezium's one task, with the tables added while the connector ran named for a snapshot. */
  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    Map<String, String> task = new HashMap<>(FilteredPublication.forTask(taskConfig));
    String added = NewTableSnapshots.taskValue(addedTables);
    if (added != null) {
      task.put(NewTableSnapshots.TASK_KEY, added);
    }
    return List.of(task);
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
    if (newTables != null) {
      newTables.close();
      newTables = null;
    }
    super.stop();
  }

  @Override
  public ConfigDef config() {
    return SourceConfig.withDebezium(super.config());
  }

  @Override
  public Config validate(Map<String, String> connectorConfigs) {
    Map<String, String> merged = SourceDefaults.apply(connectorConfigs);
    Config config = SourceConfig.withFloeValues(super.validate(merged), merged);
    Map<String, ConfigValue> byKey = new LinkedHashMap<>();
    config.configValues().forEach(value -> byKey.put(value.name(), value));
    NullValuesCheck.check(merged, byKey);
    // Debezium declares keys it does not validate (internal.legacy.snapshot.max.threads): Connect
    // needs a value for each, or a refused config becomes an HTTP 500 instead of its messages
    for (String name : config().names()) {
      byKey.computeIfAbsent(
          name, key -> new ConfigValue(key, merged.get(key), List.of(), new ArrayList<>()));
    }
    return new Config(new ArrayList<>(byKey.values()));
  }

  /**
   * Called by Debezium's validate once every field is valid. Floe's preflight opens the connection
   * itself and says more, on the key to change, so it replaces Debezium's check rather than repeat
   * its connection error.
   */
  @Override
  protected void validateConnection(Map<String, ConfigValue> values, Configuration config) {
    if (!Preflight.validate(config.asMap(), values)) {
      super.validateConnection(values, config);
    }
  }
}
