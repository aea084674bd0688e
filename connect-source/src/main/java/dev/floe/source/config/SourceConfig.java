package dev.floe.source.config;

import dev.floe.source.slot.SlotHealthConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigValue;

/**
 * Floe's own settings of {@code PostgresCdcSourceConnector}, beside Debezium's: they steer the
 * preflight checks of the database. {@link #CONFIG_DEF} holds only Floe's keys; the connector
 * publishes them together with Debezium's ({@link #withDebezium}).
 */
public final class SourceConfig extends AbstractConfig {
  public static final String PREFLIGHT_GROUP = "Floe preflight";

  public static final String PREFLIGHT_ENABLED = "floe.preflight.enabled";
  public static final String PREFLIGHT_TOAST = "floe.preflight.toast";

  /** What a table whose unchanged large values would arrive as nulls does to the start. */
  public enum ToastPolicy {
    WARN,
    FAIL
  }

  public static final ConfigDef CONFIG_DEF = define(new ConfigDef());

  public SourceConfig(Map<String, String> props) {
    super(CONFIG_DEF, props, false);
  }

  public boolean preflightEnabled() {
    return getBoolean(PREFLIGHT_ENABLED);
  }

  public ToastPolicy toastPolicy() {
    return ToastPolicy.valueOf(getString(PREFLIGHT_TOAST).toUpperCase(Locale.ROOT));
  }

  /** Debezium's ConfigDef with Floe's keys added, so the REST API documents both. */
  public static ConfigDef withDebezium(ConfigDef debezium) {
    return define(new ConfigDef(debezium));
  }

  /** {@code config} (Debezium's validation) with the results for Floe's own keys appended. */
  public static Config withFloeValues(Config config, Map<String, String> props) {
    List<ConfigValue> values = new ArrayList<>(config.configValues());
    values.addAll(CONFIG_DEF.validate(props));
    return new Config(values);
  }

  private static ConfigDef define(ConfigDef def) {
    def.define(
        PREFLIGHT_ENABLED,
        Type.BOOLEAN,
        true,
        Importance.MEDIUM,
        "Check the database before the connector starts and when its config is validated: the"
            + " server is reachable with wal_level=logical and a free replication slot and WAL"
            + " sender, the role may replicate and read every captured table, the publication can"
            + " be used or created, every table named in table.include.list exists, and every"
            + " captured table has a primary key or REPLICA IDENTITY FULL. Each problem is reported"
            + " on the setting to change, and a start with a problem is refused. Turn it off only"
            + " when a check cannot see what the server allows (Debezium's own connection check"
            + " still runs).",
        PREFLIGHT_GROUP,
        1,
        Width.SHORT,
        "Preflight checks");
    def.define(
        PREFLIGHT_TOAST,
        Type.STRING,
        "warn",
        ConfigDef.CaseInsensitiveValidString.in("warn", "fail"),
        Importance.LOW,
        "What to do about captured tables without REPLICA IDENTITY FULL that have large"
            + " (TOASTable) columns of a type whose unchanged value Debezium sends as a plain null"
            + " (a boolean, inet or enum array, bit varying, ...): the sink cannot"
            + " tell that null from a real one. 'warn' logs the columns and the fix (ALTER TABLE ..."
            + " REPLICA IDENTITY FULL) and starts; 'fail' reports them as errors on"
            + " table.include.list and refuses to start. Text, bytea, json, jsonb, numeric and"
            + " text, smallint, int, bigint, uuid, date, real, double, numeric, timestamp,"
            + " timestamptz and time arrays need nothing: Debezium or Floe's converter sends a"
            + " placeholder and the sink fills in the value from the row's last state (logged as"
            + " information).",
        PREFLIGHT_GROUP,
        2,
        Width.SHORT,
        "TOAST tables");
    // the slot's watch and the new tables' capture: fragments of their own
    return dev.floe.source.capture.NewTableConfig.define(SlotHealthConfig.define(def));
  }
}
