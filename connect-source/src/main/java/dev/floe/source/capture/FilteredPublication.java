package dev.floe.source.capture;

import io.debezium.config.Configuration;
import io.debezium.connector.postgresql.PostgresConnectorConfig;
import io.debezium.connector.postgresql.connection.PostgresConnection;
import io.debezium.relational.TableId;
import io.debezium.relational.Tables.TableFilter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The filtered publication ({@code publication.autocreate.mode=filtered}, Floe's default), kept by
 * the connector instead of Debezium's task. Debezium's task sets the publication to every table its
 * filters match each time it starts (a restart, a rebalance): a table created since without a
 * primary key or replica identity was added, and Postgres then refused every UPDATE and DELETE on
 * it, failing the application's statements. The connector creates the publication, or sets its
 * tables, when it starts, with the captured tables Postgres can still update once published; the
 * task is told the publication exists ({@code disabled}); tables created later are added by {@link
 * NewTableWatch} under the same rule.
 */
public final class FilteredPublication {
  private static final Logger LOG = LoggerFactory.getLogger(FilteredPublication.class);
  private static final String MODE = "publication.autocreate.mode";

  // what the publication of a partitioned table's root publishes covers its partitions
  private static final String TABLES =
      "select n.nspname, c.relname, "
          + ReplicaIdentity.COLUMNS
          + UnpublishedTables.PUBLISHABLE_RELATIONS
          + " order by 1, 2";
  private static final String PUBLISHED =
      "select n.nspname, c.relname from pg_publication p"
          + " join pg_publication_rel r on r.prpubid = p.oid"
          + " join pg_class c on c.oid = r.prrelid join pg_namespace n on n.oid = c.relnamespace"
          + " where p.pubname = ?";

  private FilteredPublication() {}

  /** Whether Floe keeps the publication of {@code config} (filtered mode). */
  public static boolean kept(Map<String, String> config) {
    return "filtered".equalsIgnoreCase(config.get(MODE));
  }

  /** The task's config: the publication exists, its task must not set its tables. */
  public static Map<String, String> forTask(Map<String, String> config) {
    if (!kept(config)) {
      return config;
    }
    Map<String, String> task = new HashMap<>(config);
    task.put(MODE, "disabled");
    return task;
  }

  /** Creates the publication, or sets its tables, for the connector of {@code config}. */
  public static void sync(PostgresConnection connection, Map<String, String> config)
      throws SQLException {
    if (!kept(config)) {
      return;
    }
    PostgresConnectorConfig postgres = new PostgresConnectorConfig(Configuration.from(config));
    String publication = postgres.publicationName();
    Connection jdbc = connection.connection();
    TreeSet<String> wanted = new TreeSet<>();
    List<String> left = new ArrayList<>();
    TableFilter filter = postgres.getTableFilters().dataCollectionFilter();
    try (Statement st = jdbc.createStatement();
        ResultSet rs = st.executeQuery(TABLES)) {
      while (rs.next()) {
        TableId table = new TableId(postgres.databaseName(), rs.getString(1), rs.getString(2));
        if (!filter.isIncluded(table)) {
          continue;
        }
        String name =
            NewTableWatch.quoted(table.schema()) + "." + NewTableWatch.quoted(table.table());
        (ReplicaIdentity.read(rs, 3).publishable() ? wanted : left).add(name);
      }
    }
    if (!left.isEmpty()) {
      LOG.error(
          "Tables {} are captured but have no primary key and no replica identity: in publication"
              + " {}, Postgres would refuse every UPDATE and DELETE on them. They are left out until"
              + " they have one (a primary key, or REPLICA IDENTITY FULL).",
          left,
          publication);
    }
    try (Statement st = jdbc.createStatement();
        ResultSet rs = st.executeQuery("select pg_is_in_recovery()")) {
      if (rs.next() && rs.getBoolean(1)) {
        LOG.info("The server is a standby: publication {} is created on the primary", publication);
        return;
      }
    }
    TreeSet<String> current = published(jdbc, publication);
    String tables = String.join(", ", wanted);
    String quotedPublication = NewTableWatch.quoted(publication);
    String sql;
    if (current == null) {
      sql =
          "CREATE PUBLICATION "
              + quotedPublication
              + (wanted.isEmpty() ? "" : " FOR TABLE " + tables)
              // Postgres 12 has no such option, nor partitioned tables in publications (the
              // preflight refuses those there)
              + (postgres.isPublishViaPartitionRoot()
                      && jdbc.getMetaData().getDatabaseMajorVersion() >= 13
                  ? " WITH (publish_via_partition_root = true)"
                  : "");
    } else if (!current.equals(wanted)) {
      sql =
          wanted.isEmpty()
              ? current.stream()
                  .map(t -> "ALTER PUBLICATION " + quotedPublication + " DROP TABLE " + t)
                  .collect(Collectors.joining("; "))
              : "ALTER PUBLICATION " + quotedPublication + " SET TABLE " + tables;
    } else {
      return;
    }
    LOG.info("Publication {}: {}", publication, sql);
    try (Statement st = jdbc.createStatement()) {
      st.execute(sql);
    }
    if (!jdbc.getAutoCommit()) {
      jdbc.commit();
    }
  }

  /** The publication's tables, quoted; null when it does not exist. */
  private static TreeSet<String> published(Connection jdbc, String publication)
      throws SQLException {
    try (PreparedStatement exists =
        jdbc.prepareStatement("select 1 from pg_publication where pubname = ?")) {
      exists.setString(1, publication);
      try (ResultSet rs = exists.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
      }
    }
    TreeSet<String> tables = new TreeSet<>();
    try (PreparedStatement query = jdbc.prepareStatement(PUBLISHED)) {
      query.setString(1, publication);
      try (ResultSet rs = query.executeQuery()) {
        while (rs.next()) {
          tables.add(
              NewTableWatch.quoted(rs.getString(1)) + "." + NewTableWatch.quoted(rs.getString(2)));
        }
      }
    }
    return tables;
  }
}
