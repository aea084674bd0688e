package dev.floe.sink.fill;

import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.types.Types.NestedField;
import org.apache.iceberg.util.DateTimeUtil;

/**
 * The scan filter that narrows a read to a set of keys: per key column an {@code IN} list of its
 * values, or for many numeric keys the range between the smallest and the largest. It may let other
 * rows through (two columns' lists combine into a cross product), never keep a wanted row out; the
 * reader matches keys exactly afterwards. Iceberg prunes data files on it by partition values and
 * column bounds before any is opened; a commit uses it to tell which concurrent files may hold its
 * keys.
 */
public final class KeyFilter {
  /** Beyond this many keys an IN list costs more to evaluate than the range prunes. */
  static final int MAX_IN_LIST = 1_000;

  private KeyFilter() {}

  public static Expression of(Schema keySchema, Collection<Record> keys) {
    Collector collector = new Collector(keySchema);
    keys.forEach(collector::add);
    return collector.filter();
  }

  /**
   * The filter of keys handed in one at a time, as a pass over them that does other work too goes
   * (a flush writing its rows): a flush's keys are many, and one more pass over them is not free.
   */
  public static final class Collector {
    private final Types.StructType struct;
    private final Column[] columns;

    public Collector(Schema keySchema) {
      this.struct = keySchema.asStruct();
      List<NestedField> fields = keySchema.columns();
      this.columns = new Column[fields.size()];
      for (int i = 0; i < columns.length; i++) {
        columns[i] = new Column(fields.get(i).name(), i);
      }
    }

    public void add(Record key) {
      for (Column column : columns) {
        column.add(key, struct);
      }
    }

    /** Per key column the IN list of its values or their range, combined; true for no keys. */
    public Expression filter() {
      Expression filter = Expressions.alwaysTrue();
      for (Column column : columns) {
        Expression narrowed = column.filter();
        if (narrowed != null) {
          filter = Expressions.and(filter, narrowed);
        }
      }
      return filter;
    }
  }

  /**
   * One key column: the IN list of its values, or the range they span once they are more than
   * {@link #MAX_IN_LIST} ordered values; no filter when a value has no literal here (the column
   * does not narrow the read) or there are no keys.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static final class Column {
    private final String name;
    private final int position;
    private final Set<Object> values = new LinkedHashSet<>();
    private Comparable lowest;
    private Comparable highest;
    private boolean unnarrowed;

    Column(String name, int position) {
      this.name = name;
      this.position = position;
    }

    void add(Record key, Types.StructType struct) {
      if (unnarrowed) {
        return;
      }
      // by position when the key is of the key schema (as the writers make them): no name lookup
      Object literal = literal(key.struct() == struct ? key.get(position) : key.getField(name));
      if (literal == null) {
        unnarrowed = true;
      } else if (lowest == null) {
        values.add(literal);
        if (values.size() > MAX_IN_LIST && ordered(literal)) {
          for (Object value : values) { // from here on only the ends matter
            lowest = lowest == null || lowest.compareTo(value) > 0 ? (Comparable) value : lowest;
            highest =
                highest == null || highest.compareTo(value) < 0 ? (Comparable) value : highest;
          }
        }
      } else if (lowest.compareTo(literal) > 0) {
        lowest = (Comparable) literal;
      } else if (highest.compareTo(literal) < 0) {
        highest = (Comparable) literal;
      }
    }

    Expression filter() {
      if (unnarrowed) {
        return null;
      }
      if (lowest != null) {
        return Expressions.and(
            Expressions.greaterThanOrEqual(name, lowest),
            Expressions.lessThanOrEqual(name, highest));
      }
      return values.isEmpty() ? null : Expressions.in(name, new ArrayList<>(values));
    }
  }

  private static boolean ordered(Object literal) {
    return literal instanceof Integer
        || literal instanceof Long
        || literal instanceof java.math.BigDecimal;
  }

  /**
   * A key value as an Iceberg expression literal, or null when it has none.
   *
   * <p>A UUID has none: Iceberg (1.12) compares UUID literals as Java does, by signed halves, while
   * the bounds it prunes files and row groups by are in unsigned byte order (Parquet's), so a file
   * whose rows span both halves of that order looks as if it held none of its own keys. Filtered
   * on, such a key's earlier row was not found: an update left it beside the new one, and the old
   * row of a key change was not there to fill from. UUIDs in no order prune little anyway.
   */
  private static Object literal(Object value) {
    if (value instanceof Integer
        || value instanceof Long
        || value instanceof String
        || value instanceof java.math.BigDecimal
        || value instanceof Boolean
        || value instanceof ByteBuffer) {
      return value;
    }
    if (value instanceof LocalDate date) {
      return (int) date.toEpochDay();
    }
    if (value instanceof LocalDateTime timestamp) {
      return DateTimeUtil.microsFromTimestamp(timestamp);
    }
    if (value instanceof OffsetDateTime timestamp) {
      return DateTimeUtil.microsFromTimestamptz(timestamp);
    }
    return null;
  }
}
