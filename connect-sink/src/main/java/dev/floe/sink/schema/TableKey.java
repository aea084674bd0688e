package dev.floe.sink.schema;

import dev.floe.sink.event.ChangeEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.types.Types.NestedField;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;

/**
 * The columns a table's rows are matched on (the Postgres primary key), and since when. Usually the
 * table's identifier fields; after a primary key change that Iceberg could not take as identifier
 * fields, the key lives in the table property {@value #COLUMNS}. The property {@value #SINCE_MS}
 * holds the source commit time of the first change keyed the new way, which tells a late change of
 * the old key (from another partition) from a key change.
 *
 * @param columns the key's column names, in order
 * @param sinceMs the source commit time the key took effect, or -1 if it was always the key
 */
public record TableKey(List<String> columns, long sinceMs) {
  public static final String COLUMNS = "floe.key-columns";
  public static final String SINCE_MS = "floe.key-columns.since-ms";

  /** The key {@code table} is written with now. */
  public static TableKey of(Table table) {
    String columns = table.properties().get(COLUMNS);
    long since = Long.parseLong(table.properties().getOrDefault(SINCE_MS, "-1"));
    if (columns != null) {
      return new TableKey(Arrays.asList(columns.split(",")), since);
    }
    Schema schema = table.schema();
    List<String> names = new ArrayList<>();
    for (NestedField column : schema.columns()) {
      if (schema.identifierFieldIds().contains(column.fieldId())) {
        names.add(column.name());
      }
    }
    return new TableKey(List.copyOf(names), since);
  }

  /** The key columns of a change: its Kafka key's fields. */
  public static List<String> columnsOf(Struct key) {
    return key.schema().fields().stream().map(Field::name).toList();
  }

  /** Whether {@code key} (a Kafka record key) has exactly this key's columns. */
  public boolean matches(Struct key) {
    if (key == null) {
      return true;
    }
    // asked for every change: compared in place, without building a list
    List<Field> fields = key.schema().fields();
    if (fields.size() != columns.size()) {
      return false;
    }
    for (int i = 0; i < columns.size(); i++) {
      if (!fields.get(i).name().equals(columns.get(i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether {@code event}, keyed another way, is a change to make this table's key (it is newer
   * than the key) rather than a late change from before the key changed. A change without a source
   * position (a tombstone, a flattened row without its commit time) cannot be shown to be newer, so
   * it never switches a key that already changed once: a late tombstone of the old key would
   * otherwise switch the key back.
   */
  public boolean isReplacedBy(ChangeEvent event) {
    long at = event.position().commitTimeMs();
    return !matches(event.key()) && (sinceMs < 0 || (at >= 0 && at > sinceMs));
  }

  /** The key's columns in {@code schema}, as the schema of key records. */
  public Schema select(Schema schema) {
    List<NestedField> fields = new ArrayList<>();
    for (String column : columns) {
      fields.add(schema.findField(column));
    }
    return new Schema(fields);
  }
}
