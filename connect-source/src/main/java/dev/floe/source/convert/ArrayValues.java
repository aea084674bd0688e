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

  /**
   * As {@link #each}, the elements read from the array's Postgres text ({@code {1.5,NaN,NULL}}),
   * for element types the driver cannot read back itself (a {@code numeric} {@code NaN}).
   */
  static List<Object> eachOfText(Object value, Function<Object, Object> encoding) {
    if (!(value instanceof java.sql.Array)) {
      return each(value, encoding);
    }
    String text = value.toString();
    if (!text.startsWith("{") || !text.endsWith("}") || text.startsWith("{{")) {
      throw new DataException("Not a one-dimensional array: " + text);
    }
    List<Object> out = new ArrayList<>();
    String inner = text.substring(1, text.length() - 1);
    if (inner.isEmpty()) {
      return out;
    }
    for (String element : inner.split(",", -1)) {
      String unquoted =
          element.length() > 1 && element.startsWith("\"") && element.endsWith("\"")
              ? element.substring(1, element.length() - 1)
              : element;
      out.add(element.equals("NULL") ? null : encoding.apply(unquoted));
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
