package dev.floe.sink.fill;

import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
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
    Expression filter = Expressions.alwaysTrue();
    for (NestedField column : keySchema.columns()) {
      Set<Object> values = new LinkedHashSet<>();
      for (Record key : keys) {
        Object literal = literal(key.getField(column.name()));
        if (literal == null) {
          values = null; // a type without literals here: this column does not narrow the read
          break;
        }
        values.add(literal);
      }
      if (values != null && !values.isEmpty()) {
        filter = Expressions.and(filter, narrow(column.name(), values));
      }
    }
    return filter;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Expression narrow(String column, Set<Object> values) {
    Object first = values.iterator().next();
    boolean ordered =
        first instanceof Integer || first instanceof Long || first instanceof java.math.BigDecimal;
    if (values.size() <= MAX_IN_LIST || !ordered) {
      return Expressions.in(column, new ArrayList<>(values));
    }
    Comparable lowest = (Comparable) first;
    Comparable highest = lowest;
    for (Object value : values) { // one pass: a flush's keys are many, and only the ends matter
      if (lowest.compareTo(value) > 0) {
        lowest = (Comparable) value;
      } else if (highest.compareTo(value) < 0) {
        highest = (Comparable) value;
      }
    }
    return Expressions.and(
        Expressions.greaterThanOrEqual(column, lowest),
        Expressions.lessThanOrEqual(column, highest));
  }

  /** A key value as an Iceberg expression literal, or null when it has none. */
  private static Object literal(Object value) {
    if (value instanceof Integer
        || value instanceof Long
        || value instanceof String
        || value instanceof java.math.BigDecimal
        || value instanceof UUID
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
