package dev.floe.source.capture;

import dev.floe.source.config.SourceDatabase;
import io.debezium.connector.postgresql.connection.PostgresConnection;
import io.debezium.relational.TableId;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Captures tables created while the connector runs. Debezium's filtered publication names the
 * tables that existed at its last start: a table created later in a captured schema is in no
 * publication, so Postgres sends none of its changes, and a restart would add it without its
 * earlier rows. On a thread of its own the connector looks for such tables ({@link
 * UnpublishedTables}) and adds each to the publication; the connector then restarts its task with
 * the table named, and the task asks Debezium for an incremental snapshot of it ({@link
 * NewTableSnapshots}): the rows written before it was added are read, those written after stream,
 * and Debezium's watermarks keep each row once at the seam.
 */
public final class NewTableWatch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NewTableWatch.class);

  private final Map<String, String> config;
  private final UnpublishedTables unpublished;
  private final ScheduledExecutorService poller;
  private final Set<TableId> refused = new HashSet<>();
  // tables left out because Postgres would refuse their updates and deletes once published
  private final Set<TableId> withoutIdentity = new HashSet<>();
  private final Consumer<List<TableId>> added;
  private PostgresConnection connection;

  private NewTableWatch(Map<String, String> config, Consumer<List<TableId>> added) {
    this.config = config;
    this.added = added;
    this.unpublished = new UnpublishedTables(config);
    this.poller =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "floe-new-tables-" + unpublished.publication());
              thread.setDaemon(true);
              return thread;
            });
  }

  /**
   * The watch of a connector with {@code config}, polling; null when it does not apply. {@code
   * added} hears of the tables each look added to the publication: Debezium's task reads a table's
   * schema when it starts, and cannot snapshot a table it has not read ({@link NewTableSnapshots}).
   */
  public static NewTableWatch start(Map<String, String> config, Consumer<List<TableId>> added) {
    long interval = new NewTableConfig(config).intervalMs();
    if (interval <= 0 || !"filtered".equalsIgnoreCase(config.get("publication.autocreate.mode"))) {
      return null;
    }
    NewTableWatch watch = new NewTableWatch(config, added);
    watch.poller.scheduleWithFixedDelay(watch::poll, interval, interval, TimeUnit.MILLISECONDS);
    return watch;
  }

  private void poll() {
    try {
      if (connection == null) {
        connection = SourceDatabase.connect(config, "floe-new-tables");
      }
      Connection jdbc = connection.connection();
      List<TableId> added = new ArrayList<>();
      for (TableId table : unpublished.find(jdbc)) {
        if (capture(jdbc, table)) {
          added.add(table);
        }
      }
      if (!added.isEmpty()) {
        this.added.accept(added); // one task restart for all the tables found in one look
      }
    } catch (SQLException | RuntimeException e) {
      LOG.warn("Could not look for new tables to capture; trying again: {}", e.getMessage());
      closeConnection();
    }
  }

  /** Whether {@code table} was added to the publication. */
  private boolean capture(Connection jdbc, TableId table) throws SQLException {
    String name = quoted(table.schema()) + "." + quoted(table.table());
    if (!ReplicaIdentity.of(jdbc, table).publishable()) {
      if (withoutIdentity.add(table)) {
        LOG.error(
            "Table {}, created after the connector started and captured by its include lists,"
                + " has no primary key and no replica identity: in publication {}, Postgres would"
                + " refuse every UPDATE and DELETE on it (\"cannot update table ... because it does"
                + " not have a replica identity and publishes updates\"). It is left out until it"
                + " has one: add a primary key (or ALTER TABLE {} REPLICA IDENTITY FULL, naming its"
                + " key columns in message.key.columns); the connector adds it at its next look.",
            name,
            unpublished.publication(),
            name);
      }
      return false;
    }
    withoutIdentity.remove(table);
    try (Statement st = jdbc.createStatement()) {
      st.execute("ALTER PUBLICATION " + quoted(unpublished.publication()) + " ADD TABLE " + name);
    } catch (SQLException e) {
      if (refused.add(table)) {
        LOG.error(
            "Table {} was created after the connector started and is captured by its include"
                + " lists, but it could not be added to publication {} ({}): none of its changes"
                + " are streamed. Run ALTER PUBLICATION {} ADD TABLE {}; as the publication's and"
                + " the table's owner (this connector tries again), then signal an incremental"
                + " snapshot of it (docs/source-operations.md).",
            name,
            unpublished.publication(),
            e.getMessage(),
            unpublished.publication(),
            name);
      }
      return false;
    }
    refused.remove(table);
    if (!ReplicaIdentity.of(jdbc, table).hasPrimaryKey()) {
      LOG.warn(
          "Table {} has no primary key: its changes carry no key and the sink sends them to"
              + " the dead letter topic. Add a primary key, or name its key columns in"
              + " message.key.columns.",
          name);
    }
    LOG.info(
        "Table {}, created after the connector started, was added to publication {}; the task"
            + " restarts to read its schema, then an incremental snapshot reads its earlier rows.",
        name,
        unpublished.publication());
    return true;
  }

  static String quoted(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  private void closeConnection() {
    if (connection != null) {
      connection.close();
      connection = null;
    }
  }

  @Override
  public void close() {
    poller.shutdownNow();
    try {
      poller.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeConnection();
  }
}
