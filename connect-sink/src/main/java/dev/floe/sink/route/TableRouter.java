package dev.floe.sink.route;

import dev.floe.sink.event.ChangeEvent;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.kafka.connect.errors.DataException;

/**
 * Decides which Iceberg table a change event belongs to. Postgres table {@code <schema>.<table>}
 * goes to {@code <namespace>.<schema>_<table>}; a route regex, matched against {@code
 * <schema>.<table>}, can rename it, and send several source tables (the partitions of a partitioned
 * Postgres table, say) into one. The names come from the event's {@code source} block, so a
 * transform that renames topics does not move data; without one, the topic's last two segments
 * stand in.
 */
public final class TableRouter {
  private final Namespace namespace;
  private final Pattern routeRegex;
  private final String routeReplacement;
  private final SourceClaims claims;

  /** Where a source table's records go, and the topic they were first read from. */
  private record Route(String topic, TableIdentifier table) {}

  // routing runs for every record: resolve each source table once (each usable one)
  private final Map<String, Map<String, Route>> bySchemaAndTable = new HashMap<>();
  // the same schema and table read from a second topic (another database), by topic and name
  private final Map<String, TableIdentifier> otherTopics = new HashMap<>();
  // topics whose source table found its default name taken: their tombstones are refused too
  private final Map<String, String> refusedTopics = new HashMap<>();

  public TableRouter(String namespace) {
    this(namespace, null, null);
  }

  public TableRouter(String namespace, String routeRegex, String routeReplacement) {
    this(namespace, routeRegex, routeReplacement, SourceClaims.inTask());
  }

  /**
   * @param claims which source owns each table named by default: a second source whose default name
   *     is taken is refused
   */
  public TableRouter(
      String namespace, String routeRegex, String routeReplacement, SourceClaims claims) {
    this.claims = claims;
    this.namespace = Namespace.of(namespace.split("\\."));
    this.routeRegex = routeRegex == null ? null : Pattern.compile(routeRegex);
    this.routeReplacement = routeReplacement;
  }

  public TableIdentifier route(ChangeEvent event) {
    String schema = event.sourceSchema();
    String table = event.sourceTable();
    String topic = event.coordinates().topic();
    if (schema == null || table == null) {
      String refused = refusedTopics.get(topic);
      if (refused != null) {
        throw new DataException(refused); // a tombstone of a source refused its table
      }
      String[] parts = topic.split("\\.");
      if (parts.length < 2) {
        throw new DataException(
            "Cannot tell the source table of "
                + event.coordinates()
                + ": the event has no source block and the topic is not <prefix>.<schema>.<table>.");
      }
      schema = parts[parts.length - 2];
      table = parts[parts.length - 1];
    }
    // looked up before anything is computed: a capturing lambda is an object per event
    Map<String, Route> tables = bySchemaAndTable.get(schema);
    Route known = tables == null ? null : tables.get(table);
    if (known != null && (known.topic() == topic || known.topic().equals(topic))) {
      return known.table();
    }
    return routeAnew(event, schema, table, topic, known != null);
  }

  /**
   * A source table not routed yet, or routed from another topic before: the same schema and table
   * of another database (another source connector's topic) may not take the first one's table.
   */
  private TableIdentifier routeAnew(
      ChangeEvent event, String schema, String table, String topic, boolean seenOnAnotherTopic) {
    String key = topic + '\n' + schema + '.' + table;
    TableIdentifier known = seenOnAnotherTopic ? otherTopics.get(key) : null;
    if (known != null) {
      return known;
    }
    TableIdentifier resolved;
    try {
      resolved =
          resolve(schema, table, event.sourceSchema() == null ? null : event.sourceDatabase());
    } catch (SourceClaims.TakenException taken) {
      refusedTopics.put(topic, taken.getMessage());
      throw taken;
    }
    if (seenOnAnotherTopic) {
      otherTopics.put(key, resolved);
    } else {
      bySchemaAndTable
          .computeIfAbsent(schema, s -> new HashMap<>())
          .put(table, new Route(topic, resolved));
    }
    return resolved;
  }

  /**
   * The table a topic named {@code <prefix>.<schema>.<table>} (Debezium's default) routes to, or
   * null when the topic is not named so or the name is unusable: a guess made before any record of
   * the topic was read (the source block of its records decides where they go).
   */
  public TableIdentifier routeTopic(String topic) {
    String[] parts = topic.split("\\.");
    if (parts.length < 2) {
      return null;
    }
    try {
      return resolve(parts[parts.length - 2], parts[parts.length - 1], null);
    } catch (DataException unusable) {
      return null;
    }
  }

  /**
   * @param database the source's database, or null when the record does not say (its claim is not
   *     checked then)
   */
  private TableIdentifier resolve(String schema, String table, String database) {
    String source = schema + "." + table;
    String name = schema + "_" + table;
    boolean byDefault = true;
    if (routeRegex != null) {
      Matcher matcher = routeRegex.matcher(source);
      if (matcher.matches()) {
        name = matcher.replaceAll(routeReplacement);
        byDefault = false;
      }
    }
    String problem = TableNames.problemWith(name);
    if (problem != null) {
      // not cached: the next record of the table is refused the same way, and cheaply
      throw new DataException(
          "Source table "
              + source
              + " routes to Iceberg table name '"
              + name
              + "', which "
              + problem
              + ". Route it to a plain name with iceberg.tables.route-regex and"
              + " iceberg.tables.route-replacement.");
    }
    TableIdentifier id = TableIdentifier.of(namespace, name);
    if (byDefault && database != null) {
      // not cached when refused either: asked again, answered from memory
      claims.check(id, database + "." + source);
    }
    return id;
  }

  /** The claims of the tables this router names by default. */
  public SourceClaims claims() {
    return claims;
  }

  /**
   * Forgets every route: each source table is routed afresh, its claim checked again (a table
   * another task created for another source a moment before this one's first record).
   */
  public void forgetRoutes() {
    bySchemaAndTable.clear();
    otherTopics.clear();
  }

  /**
   * {@code event}'s source found its table taken when the table was loaded: its topic's records,
   * tombstones included, are refused from now on, and every route is checked afresh.
   */
  public void refused(ChangeEvent event, SourceClaims.TakenException taken) {
    refusedTopics.put(event.coordinates().topic(), taken.getMessage());
    forgetRoutes();
  }
}
