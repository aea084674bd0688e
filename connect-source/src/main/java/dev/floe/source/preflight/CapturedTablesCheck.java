package dev.floe.source.preflight;

import dev.floe.source.control.ControlTables;
import io.debezium.config.Configuration;
import io.debezium.connector.postgresql.PostgresConnectorConfig.AutoCreateMode;
import io.debezium.util.Strings;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Every entry of {@code table.include.list} names at least one existing table, and the connector
 * captures something. Each entry is tried alone through Debezium's filters, so "matches" means
 * exactly what it means to the running connector.
 */
final class CapturedTablesCheck implements PreflightCheck {

  @Override
  public List<Finding> check(PreflightContext context) {
    List<Finding> findings = new ArrayList<>();
    Configuration config = context.config();
    String includeList = config.getString(PreflightKeys.TABLE_INCLUDE_LIST);
    if (includeList != null) {
      for (Pattern entry : Strings.setOfRegex(includeList)) {
        if (entry.matcher(ControlTables.HEARTBEAT_TABLE).matches()) {
          continue; // Floe's own table, added to the list, is created when the connector starts
        }
        Configuration alone =
            config.edit().with(PreflightKeys.TABLE_INCLUDE_LIST, entry.pattern()).build();
        if (DatabaseTables.captured(context.allTables(), alone).isEmpty()) {
          findings.add(
              Finding.error(
                  PreflightKeys.TABLE_INCLUDE_LIST,
                  "No table of database '"
                      + context.postgres().databaseName()
                      + "' matches '"
                      + entry.pattern()
                      + "' in table.include.list (entries are regular expressions matched"
                      + " against the whole schema.table name, ignoring case, within"
                      + " schema.include.list if set). Create the table, or correct or remove"
                      + " the entry."));
        }
      }
    }
    if (context.captured().isEmpty() && findings.isEmpty()) {
      // A filtered publication of no tables cannot be created: Debezium would fail at start.
      boolean filtered =
          AutoCreateMode.parse(config.getString(PreflightKeys.PUBLICATION_MODE))
              == AutoCreateMode.FILTERED;
      String key = PreflightKeys.tableListKey(config);
      findings.add(
          new Finding(
              key,
              "The connector captures no table of database '"
                  + context.postgres().databaseName()
                  + "': nothing there matches "
                  + key
                  + "="
                  + config.getString(key)
                  + ". Create the tables first or correct "
                  + key
                  + ".",
              filtered ? Finding.Severity.ERROR : Finding.Severity.WARNING));
    }
    return findings;
  }
}
