package dev.floe.sink.schema;

import java.util.Arrays;
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
 */
public final class ColumnNumbering {
  public static final String PROPERTY = "floe.column-numbers";
  public static final String SOURCE_PROPERTY = "floe.column-numbers.source";
  static final String MIXED = "*";

  /** The Postgres column an Iceberg column holds, and since when it has its name. */
  record Numbered(int attnum, long sinceLsn) {}

  private final Map<Integer, Numbered> byFieldId;
  private final Map<Integer, Integer> fieldIdByAttnum = new HashMap<>();
  private final String source; // whose numbers these are: null before the first, or MIXED

  ColumnNumbering(Map<Integer, Numbered> byFieldId, String source) {
    this.byFieldId = new TreeMap<>(byFieldId);
    this.source = source;
    byFieldId.forEach((id, numbered) -> fieldIdByAttnum.put(numbered.attnum(), id));
  }

  public static ColumnNumbering of(Table table) {
    return parse(table.properties().get(PROPERTY), table.properties().get(SOURCE_PROPERTY));
  }

  /** None: every column matched by its name. */
  static ColumnNumbering none() {
    return new ColumnNumbering(Map.of(), null);
  }

  static ColumnNumbering parse(String property, String source) {
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
    return new ColumnNumbering(entries, source);
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

  /** The entry of a top-level Iceberg column, or null when it is matched by name. */
  Numbered of(int fieldId) {
    return byFieldId.get(fieldId);
  }

  Map<Integer, Numbered> entries() {
    return byFieldId;
  }

  /**
   * The column numbers a change carries (the source's {@code floe.attnums} header, {@code #1,2,4}:
   * one per row field, 0 where unknown), or null when it carries none or another form.
   */
  static int[] parseHeader(String header) {
    if (header == null || header.length() < 2 || header.charAt(0) != '#') {
      return null;
    }
    try {
      return Arrays.stream(header.substring(1).split(",")).mapToInt(Integer::parseInt).toArray();
    } catch (NumberFormatException notOurs) {
      return null;
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ColumnNumbering numbering
        && numbering.byFieldId.equals(byFieldId)
        && java.util.Objects.equals(numbering.source, source);
  }

  @Override
  public int hashCode() {
    return byFieldId.hashCode() * 31 + java.util.Objects.hashCode(source);
  }
}
