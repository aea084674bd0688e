package dev.floe.source.convert;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.errors.DataException;

/**
 * A one-dimensional Postgres array, element by element, with nulls kept. Both paths hand pgjdbc's
 * {@link java.sql.Array}: the snapshot from the result set, the WAL built by Debezium from
 * pgoutput's text.
 */
final class ArrayValues {
  private ArrayValues() {}

  static SchemaBuilder schema(SchemaBuilder element) {
    return SchemaBuilder.array(element.optional().build());
  }

  static List<Object> each(Object value, Function<Object, Object> encoding) {
    List<Object> out = new ArrayList<>();
    for (Object element : elements(value)) {
      out.add(element == null ? null : encoding.apply(element));
    }
    return out;
  }

  private static List<?> elements(Object value) {
    if (value instanceof java.sql.Array array) {
      try {
        return Arrays.asList((Object[]) array.getArray());
      } catch (SQLException e) {
        throw new DataException("Cannot read the array " + value, e);
      }
    }
    if (value instanceof Object[] array) {
      return Arrays.asList(array);
    }
    if (value instanceof List<?> list) {
      return list;
    }
    throw new DataException("Not an array: " + value.getClass().getName());
  }
}
