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
   * As {@link #each}, each element handed as its Postgres text ({@code NaN}, {@code 2024-01-01
   * 10:00:00+00}), read from the array's text: for element types the driver cannot read back
   * exactly (a {@code numeric} {@code NaN}; a timestamp's era and microseconds).
   */
  static List<Object> eachOfText(Object value, Function<Object, Object> encoding) {
    return eachOfText(value, ',', encoding);
  }

  /** As {@link #eachOfText}, for a type whose elements Postgres separates by {@code delimiter}. */
  static List<Object> eachOfText(Object value, char delimiter, Function<Object, Object> encoding) {
    if (!(value instanceof java.sql.Array)) {
      return each(value, encoding);
    }
    List<Object> out = new ArrayList<>();
    for (String element : elementsOf(value.toString(), delimiter)) {
      out.add(element == null ? null : encoding.apply(element));
    }
    return out;
  }

  /**
   * The elements of a one-dimensional array literal as Postgres writes it: {@code {a,"b c",NULL}},
   * optionally after its bounds ({@code [0:1]={a,b}}); quoted elements unescaped, {@code NULL}
   * null. A multi-dimensional array has no one-dimensional encoding: refused, not flattened.
   */
  static List<String> elementsOf(String literal) {
    return elementsOf(literal, ',');
  }

  /** As {@link #elementsOf(String)}, the elements separated by {@code delimiter}. */
  static List<String> elementsOf(String literal, char delimiter) {
    int open = literal.indexOf('{');
    if (open < 0 || !literal.endsWith("}") || literal.startsWith("{", open + 1)) {
      throw new DataException("Not a one-dimensional array: " + literal);
    }
    List<String> out = new ArrayList<>();
    int i = open + 1;
    int end = literal.length() - 1;
    while (i < end) {
      StringBuilder element = new StringBuilder();
      boolean quoted = literal.charAt(i) == '"';
      if (quoted) {
        for (i++; literal.charAt(i) != '"'; i++) {
          element.append(literal.charAt(i) == '\\' ? literal.charAt(++i) : literal.charAt(i));
        }
        i++; // the closing quote
      } else {
        for (; i < end && literal.charAt(i) != delimiter; i++) {
          element.append(literal.charAt(i));
        }
      }
      String text = element.toString();
      out.add(!quoted && text.equals("NULL") ? null : text);
      i++; // the comma
    }
    return out;
  }

  /**
   * The whole array as Postgres writes it ({@code {{1,2},{3,4}}}), of any number of dimensions:
   * pgjdbc's array keeps the text it was read from, on the snapshot and on the WAL.
   */
  static String text(Object value) {
    if (value instanceof org.postgresql.util.PGobject object) {
      return object.getValue();
    }
    return value.toString();
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
