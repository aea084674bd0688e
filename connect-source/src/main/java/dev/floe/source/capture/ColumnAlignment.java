package dev.floe.source.capture;

import java.util.List;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;

/**
 * Finds which Postgres column ({@code attnum}) each field of a row shape is, from the table's
 * catalog as it is now, which may be several DDL statements ahead of the shape (the source reads
 * the WAL behind the database). Three facts make this work: a shape's fields come in attnum order
 * (Postgres describes a table to logical replication, and Debezium reads it for a snapshot, in that
 * order); {@code pg_attribute} keeps a dropped column's number (without its name or type); and a
 * column added later gets a number above every earlier one. So the fields map, in order, onto a
 * subsequence of the catalog's numbers (those the connector captures), and a live column can be
 * left out only after the last field: a column that is alive now and older than one of the shape's
 * was in it. What is left to choose is which dropped numbers the shape still had, and how far it
 * reaches: of the mappings whose types fit, the one that keeps the most names (a live column of the
 * same name), then takes the fewest renames, then the oldest columns, wins. A shape the catalog
 * agrees with maps by name; a column renamed, dropped or swapped since maps by its place.
 */
final class ColumnAlignment {
  private static final int SAME_NAME = 10;
  private static final int DROPPED_SINCE = 0;
  private static final int RENAMED_SINCE = -1;
  private static final int NONE = Integer.MIN_VALUE / 2;

  /**
   * One column number of the table: a live column's name and type category ({@code
   * pg_type.typcategory}), or a dropped one (name null).
   */
  record Attribute(int attnum, String name, char category) {}

  private ColumnAlignment() {}

  /** The attnum of each field, in order; all 0 when no mapping fits. */
  static int[] align(List<Field> fields, List<Attribute> attributes) {
    int n = fields.size();
    int m = attributes.size();
    // best[i][j]: the best score mapping the first i fields onto the first j numbers
    int[][] best = new int[n + 1][m + 1];
    for (int i = 1; i <= n; i++) {
      best[i][0] = NONE;
    }
    for (int i = 1; i <= n; i++) {
      for (int j = 1; j <= m; j++) {
        int skip = skippable(i, n, attributes.get(j - 1)) ? best[i][j - 1] : NONE;
        int score = score(fields.get(i - 1), attributes.get(j - 1));
        int take = score == NONE || best[i - 1][j - 1] == NONE ? NONE : best[i - 1][j - 1] + score;
        best[i][j] = Math.max(skip, take);
      }
    }
    int[] numbers = new int[n];
    if (n == 0 || best[n][m] == NONE) {
      return numbers;
    }
    // back from the end; between mappings that score the same, the one onto older columns (a
    // column added after the shape cannot be in it, and later numbers are the later columns)
    for (int i = n, j = m; i > 0; j--) {
      int score = score(fields.get(i - 1), attributes.get(j - 1));
      boolean skip = skippable(i, n, attributes.get(j - 1)) && best[i][j - 1] == best[i][j];
      if (!skip
          && score != NONE
          && best[i - 1][j - 1] != NONE
          && best[i - 1][j - 1] + score == best[i][j]) {
        numbers[i - 1] = attributes.get(j - 1).attnum();
        i--;
      }
    }
    return numbers;
  }

  /**
   * Whether a shape whose first {@code mapped} of {@code fields} fields are placed before {@code
   * attribute} can leave it out: a dropped column (dropped before the shape), or any column once
   * every field is placed (added after the shape).
   */
  private static boolean skippable(int mapped, int fields, Attribute attribute) {
    return attribute.name() == null || mapped == fields;
  }

  /** How well {@code field} fits {@code attribute}; {@link #NONE} when its type cannot be it. */
  private static int score(Field field, Attribute attribute) {
    if (attribute.name() == null) {
      return DROPPED_SINCE;
    }
    if (!fits(field.schema().type(), attribute.category())) {
      return NONE;
    }
    return attribute.name().equals(field.name()) ? SAME_NAME : RENAMED_SINCE;
  }

  /**
   * Whether a Connect value of {@code type} can come from a column of Postgres type category {@code
   * category}. Only the clear cases say no: text is a string, a boolean a boolean, an array a list
   * or its text; every other category has several Connect forms (numbers as integers, decimals'
   * bytes or text; times as numbers or text).
   */
  static boolean fits(Schema.Type type, char category) {
    return switch (category) {
      case 'B' -> type == Schema.Type.BOOLEAN;
      case 'S' -> type == Schema.Type.STRING;
      case 'A' -> type == Schema.Type.ARRAY || type == Schema.Type.STRING;
      default -> type != Schema.Type.BOOLEAN && type != Schema.Type.ARRAY || category == 'V';
    };
  }
}
