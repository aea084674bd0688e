package dev.floe.sink.schema;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.types.Types.NestedField;
import org.apache.kafka.connect.data.Field;

/**
 * Where each field of one row shape (a Connect struct schema) goes in an Iceberg record: its target
 * column, that column's position, whether it is a key column. Worked out once per shape rather than
 * per row: looking each column up by name, in the table's type and again in the record, was a fifth
 * of the sink's buffering time in the apply path's profile (docs/benchmarks.md). New records are
 * copies of an empty one, which spares the record's own lookup of its name index.
 */
final class RowShape {
  private final org.apache.kafka.connect.data.Schema source;
  private final String numbers; // the column numbers its rows carry, or null
  private final Field[] fields;
  private final NestedField[] targets; // null: the table has no such column
  private final int[] positions;
  private final boolean[] keys;
  private final boolean[] defaults; // a default could stand in for the field's NULL
  private final GenericRecord empty;

  private RowShape(
      org.apache.kafka.connect.data.Schema source,
      String numbers,
      Types.StructType type,
      Map<String, String> aliases,
      Set<Integer> keyColumns) {
    this.source = source;
    this.numbers = numbers;
    List<Field> columns = source.fields();
    Map<String, Integer> positionByName = new HashMap<>();
    List<NestedField> typeFields = type.fields();
    for (int i = 0; i < typeFields.size(); i++) {
      positionByName.put(typeFields.get(i).name(), i);
    }
    this.fields = columns.toArray(new Field[0]);
    this.targets = new NestedField[fields.length];
    this.positions = new int[fields.length];
    this.keys = new boolean[fields.length];
    this.defaults = new boolean[fields.length];
    for (int i = 0; i < fields.length; i++) {
      String name = fields[i].name();
      defaults[i] = fields[i].schema().defaultValue() != null;
      NestedField target = aliases.containsKey(name) ? type.field(aliases.get(name)) : null;
      targets[i] = target != null ? target : type.field(name);
      if (targets[i] != null) {
        positions[i] = positionByName.get(targets[i].name());
        keys[i] = keyColumns.contains(targets[i].fieldId());
      }
    }
    this.empty = GenericRecord.create(type);
  }

  static RowShape of(
      org.apache.kafka.connect.data.Schema source,
      String numbers,
      Types.StructType type,
      Map<String, String> aliases,
      Set<Integer> keyColumns) {
    return new RowShape(source, numbers, type, aliases, keyColumns);
  }

  /**
   * Whether rows of {@code schema} carrying {@code numbers} are of this shape (the same schema
   * object, the same column numbers).
   */
  boolean describes(org.apache.kafka.connect.data.Schema schema, String numbers) {
    return schema == source && java.util.Objects.equals(numbers, this.numbers);
  }

  int size() {
    return fields.length;
  }

  Field field(int i) {
    return fields[i];
  }

  /**
   * The {@code i}-th field's value in {@code row} (a row of this shape), a NULL kept null, never
   * the field's default: by position where the field has no default, sparing the lookup by name
   * that {@link org.apache.kafka.connect.data.Struct#getWithoutDefault} makes.
   */
  Object value(org.apache.kafka.connect.data.Struct row, int i) {
    return defaults[i] ? row.getWithoutDefault(fields[i].name()) : row.get(fields[i]);
  }

  /** The column the {@code i}-th field goes to, or null when the table has none for it. */
  NestedField target(int i) {
    return targets[i];
  }

  int position(int i) {
    return positions[i];
  }

  boolean isKey(int i) {
    return keys[i];
  }

  /** A new record of the table's type, every column null. */
  GenericRecord newRecord() {
    return empty.copy();
  }
}
