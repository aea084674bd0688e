package dev.floe.sink.route;

import dev.floe.sink.event.ChangeEvent;
import java.nio.charset.StandardCharsets;
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
  // routing runs for every record: resolve each source table once (each usable one)
  private final Map<String, Map<String, TableIdentifier>> bySchemaAndTable = new HashMap<>();

  public TableRouter(String namespace) {
    this(namespace, null, null);
  }

  public TableRouter(String namespace, String routeRegex, String routeReplacement) {
    this.namespace = Namespace.of(namespace.split("\\."));
    this.routeRegex = routeRegex == null ? null : Pattern.compile(routeRegex);
    this.routeReplacement = routeReplacement;
  }

  public TableIdentifier route(ChangeEvent event) {
    String schema = event.sourceSchema();
    String table = event.sourceTable();
    if (schema == null || table == null) {
      String[] parts = event.coordinates().topic().split("\\.");
      if (parts.length < 2) {
        throw new DataException(
            "Cannot tell the source table of "
                + event.coordinates()
                + ": the event has no source block and the topic is not <prefix>.<schema>.<table>.");
      }
      schema = parts[parts.length - 2];
      table = parts[parts.length - 1];
    }
    return resolved(schema, table);
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
      return resolved(parts[parts.length - 2], parts[parts.length - 1]);
    } catch (DataException unusable) {
      return null;
    }
  }

  private TableIdentifier resolved(String schema, String table) {
    // looked up before anything is computed: a capturing lambda is an object per event
    Map<String, TableIdentifier> tables = bySchemaAndTable.get(schema);
    TableIdentifier known = tables == null ? null : tables.get(table);
    if (known != null) {
      return known;
    }
    TableIdentifier resolved = resolve(schema, table);
    bySchemaAndTable.computeIfAbsent(schema, s -> new HashMap<>()).put(table, resolved);
    return resolved;
  }

  private TableIdentifier resolve(String schema, String table) {
    String source = schema + "." + table;
    String name = schema + "_" + table;
    if (routeRegex != null) {
      Matcher matcher = routeRegex.matcher(source);
      if (matcher.matches()) {
        name = matcher.replaceAll(routeReplacement);
      }
    }
    String problem = problemWith(name);
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
    return TableIdentifier.of(namespace, name);
  }

  /**
   * The longest name, in UTF-8 bytes, that the JDBC and Glue catalogs and the usual file systems
   * (one folder per table) all take.
   */
  static final int MAX_NAME_BYTES = 255;

  /**
   * What makes {@code name} unusable in any catalog, or null. The table's files go under a path
   * made of its name: a separator would put them inside another table's folder (whose removal would
   * take them along) or outside the namespace's. What a particular catalog refuses beyond this (a
   * character set, say) it says when the table is created ({@link TableProvisioner}).
   */
  static String problemWith(String name) {
    if (name.isBlank()) {
      return "is empty";
    }
    if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
      return "is longer than " + MAX_NAME_BYTES + " bytes";
    }
    if (name.chars().allMatch(c -> c == '.')) {
      return "names a folder, not a table";
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '/' || c == '\\') {
        return "holds a path separator ('" + c + "')";
      }
      if (Character.isISOControl(c)) {
        return "holds a control character (U+" + String.format("%04X", (int) c) + ")";
      }
    }
    return null;
  }
}
