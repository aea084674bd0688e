package dev.floe.source.config;

import io.debezium.connector.postgresql.connection.PostgresConnection;
import java.util.Map;

/**
 * The settings Floe derives from the database itself, on top of {@link SourceDefaults}: the
 * generated columns to leave out ({@link GeneratedColumns}), and for Floe's converter the domains'
 * base types ({@link DomainTypes}) and the arrays declared with several dimensions ({@link
 * MultiDimensionalArrays}). Read when the connector starts, and again when it captures a table
 * created since, whose columns and types its task must know.
 */
public final class DatabaseDefaults {
  private DatabaseDefaults() {}

  /** {@code config} (the user's settings with Floe's defaults) with what the database adds. */
  public static Map<String, String> apply(Map<String, String> config) {
    try (PostgresConnection connection = SourceDatabase.connect(config, "floe-database-defaults")) {
      return MultiDimensionalArrays.resolved(
          connection,
          DomainTypes.resolved(connection, GeneratedColumns.leftOut(connection, config)));
    }
  }
}
