package dev.floe.source.config;

import io.debezium.config.Configuration;
import io.debezium.connector.postgresql.PostgresConnectorConfig;
import io.debezium.connector.postgresql.connection.PostgresConnection;
import java.util.Map;

/**
 * Opens a plain JDBC connection to the captured database with the connector's own settings (host,
 * user, SSL and the rest), the way Debezium opens its own, for Floe's checks and its slot poller.
 */
public final class SourceDatabase {
  private SourceDatabase() {}

  /** A connection named {@code usage} in {@code pg_stat_activity}; the caller closes it. */
  public static PostgresConnection connect(Map<String, String> config, String usage) {
    PostgresConnectorConfig connectorConfig =
        new PostgresConnectorConfig(Configuration.from(config));
    return new PostgresConnection(connectorConfig.getJdbcConfig(), usage);
  }
}
