package dev.floe.source.preflight;

import io.debezium.config.Configuration;
import io.debezium.connector.postgresql.PostgresConnectorConfig;
import io.debezium.relational.RelationalDatabaseConnectorConfig;

/** The connector settings findings are pinned on, and how messages name the server. */
final class PreflightKeys {
  static final String HOSTNAME = RelationalDatabaseConnectorConfig.HOSTNAME.name();
  static final String PORT = RelationalDatabaseConnectorConfig.PORT.name();
  static final String USER = RelationalDatabaseConnectorConfig.USER.name();
  static final String PASSWORD = RelationalDatabaseConnectorConfig.PASSWORD.name();
  static final String DBNAME = RelationalDatabaseConnectorConfig.DATABASE_NAME.name();
  static final String TABLE_INCLUDE_LIST =
      RelationalDatabaseConnectorConfig.TABLE_INCLUDE_LIST.name();
  static final String SCHEMA_INCLUDE_LIST =
      RelationalDatabaseConnectorConfig.SCHEMA_INCLUDE_LIST.name();
  static final String SLOT_NAME = PostgresConnectorConfig.SLOT_NAME.name();
  static final String PUBLICATION_NAME = PostgresConnectorConfig.PUBLICATION_NAME.name();
  static final String PUBLICATION_MODE = PostgresConnectorConfig.PUBLICATION_AUTOCREATE_MODE.name();

  private PreflightKeys() {}

  /** {@code host:port/database}, for messages. */
  static String server(Configuration config) {
    return config.getString(HOSTNAME)
        + ":"
        + config.getString(PORT, "5432")
        + "/"
        + config.getString(DBNAME);
  }

  /**
   * The key that chose the tables: table.include.list when set, else schema.include.list when set,
   * else table.include.list (where a person would name the tables to capture).
   */
  static String tableListKey(Configuration config) {
    if (config.getString(TABLE_INCLUDE_LIST) == null
        && config.getString(SCHEMA_INCLUDE_LIST) != null) {
      return SCHEMA_INCLUDE_LIST;
    }
    return TABLE_INCLUDE_LIST;
  }
}
