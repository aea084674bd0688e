package dev.floe.sink.schema;

import java.util.HashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;

/**
 * Which Postgres column ({@code pg_attribute.attnum}) each top-level Iceberg column holds, and the
 * source position (LSN) of the first change seen with the column's current name. Kept in the table
 * property {@value #PROPERTY} as {@code fieldId=attnum@lsn} entries, comma-separated, and changed
 * in the same commit as the schema. A column without an entry (a table written before Floe's source
 * numbered its columns, or by another source) is matched by its name.
 *
 * <p>The numbers are one Postgres table's, named in {@value #SOURCE_PROPERTY}: tables that a route
 * merges from several sources (shards of one table, say) number their columns each their own way,
 * so once a second source writes the table it is marked {@value #MIXED} there and matched by names.
 * Which incarnation of that table ({@code pg_class.oid}) and since when is in {@value
 * #RELATION_PROPERTY} ({@code oid@lsn@ms}): a table dropped and created again under its name is
 * another.
 */
public final class ColumnNumbering {
  public static final String PROPERTY = "floe.column-numbers";
  public static final String SOURCE_PROPERTY = "floe.column-numbers.source";
  public static final String RELATION_PROPERTY = "floe.column-numbers.relation";
  static final String MIXED = "*";

  /**
   * The Postgres table ({@code pg_class.oid}) the numbers are of, and the LSN and commit time of
   * its first change seen ({@code oid@lsn@ms}).
   */
  record Relation(long oid, long sinceLsn, long sinceMs) {
    static Relation parse(String text) {
      String[] parts = text == null ? new String[0] : text.split("@");
      if (parts.length != 3) {
        return null;
      }
      return new Relation(
          Long.parseLong(parts[0]), Long.parseLong(parts[1]), Long.parseLong(parts[2]));
    }

    @Override
    public String toString() {
      return oid + "@" + sinceLsn + "@" + sinceMs;
    }
  }

  /** The Postgres column an Iceberg column holds, and since when it has its name. */
  record Numbered(int attnum, long sinceLsn) {}

  private final Map<Integer, Numbered> byFieldId;
  private final Map<Integer, Integer> fieldIdByAttnum = new HashMap<>();
  private final String source; // whose numbers these are: null before the first, or MIXED
  private final Relation relation; // null before the first

  ColumnNumbering(Map<Integer, Numbered> byFieldId, String source, Relation relation) {
    this.byFieldId = new TreeMap<>(byFieldId);
    this.source = source;
    this.relation = relation;
    byFieldId.forEach((id, numbered) -> fieldIdByAttnum.put(numbered.attnum(), id));
  }

  public static ColumnNumbering of(Table table) {
    Map<String, String> properties = table.properties();
    return parse(
        properties.get(PROPERTY),
        properties.get(SOURCE_PROPERTY),
        Relation.parse(properties.get(RELATION_PROPERTY)));
  }

  /** None: every column matched by its name. */
  static ColumnNumbering none() {
    return new ColumnNumbering(Map.of(), null, null);
  }

  static ColumnNumbering parse(String property, String source, Relation relation) {
    Map<Integer, Numbered> entries = new HashMap<>();
    if (property != null && !property.isBlank()) {
      for (String entry : property.split(",")) {
        int eq = entry.indexOf('=');
        int at = entry.indexOf('@');
        entries.put(
            Integer.parseInt(entry.substring(0, eq).trim()),
            new Numbered(
                Integer.parseInt(entry.substring(eq + 1, at).trim()),
                Long.parseLong(entry.substring(at + 1).trim())));
      }
    }
    return new ColumnNumbering(entries, source, relation);
  }

  /** The Postgres table the numbers are of, null before the first numbered change. */
  Relation relation() {
    return relation;
  }

  /** The source these numbers are whose, null before any. */
  String source() {
    return source;
  }

  /**
   * The source the numbers belong to once a change of {@code changeSource} (database, schema and
   * table) was written: the first source, or {@value #MIXED} from a second one on.
   */
  String sourceAfter(String changeSource) {
    return source == null ? changeSource : source.equals(changeSource) ? source : MIXED;
  }

  /** Whether the columns are matched by name for good: several sources write the table. */
  boolean mixed() {
    return MIXED.equals(source);
  }

  String toProperty() {
    StringJoiner text = new StringJoiner(",");
    byFieldId.forEach((id, n) -> text.add(id + "=" + n.attnum() + "@" + n.sinceLsn()));
    return text.toString();
  }

  boolean isEmpty() {
    return byFieldId.isEmpty() || mixed();
  }

  /** The Iceberg column of {@code schema} that holds Postgres column {@code attnum}, or null. */
  Integer fieldIdOf(int attnum, Schema schema) {
    Integer id = fieldIdByAttnum.get(attnum);
    return id != null && schema.asStruct().field(id) != null ? id : null;
  }

  Map<Integer, Numbered> entries() {
    return byFieldId;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ColumnNumbering numbering
        && numbering.byFieldId.equals(byFieldId)
        && java.util.Objects.equals(numbering.source, source)
        && java.util.Objects.equals(numbering.relation, relation);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(byFieldId, source, relation);
  }
}
