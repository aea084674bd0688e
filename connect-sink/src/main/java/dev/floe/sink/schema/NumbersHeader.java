package dev.floe.sink.schema;

import java.util.Arrays;

/**
 * What Floe's source says about a change's columns (header {@code floe.attnums}, {@code
 * #16384:1,2,4}): the table's {@code pg_class.oid}, which a table dropped and created again under
 * its name does not keep, and the {@code pg_attribute.attnum} of each row field in order ({@code 0}
 * where unknown).
 */
record NumbersHeader(long relation, int[] numbers) {
  /** The header's parts, or null when {@code header} is absent or of another form. */
  static NumbersHeader parse(String header) {
    int colon = header == null ? -1 : header.indexOf(':');
    if (colon < 2 || header.charAt(0) != '#' || colon == header.length() - 1) {
      return null;
    }
    try {
      return new NumbersHeader(
          Long.parseLong(header.substring(1, colon)),
          Arrays.stream(header.substring(colon + 1).split(","))
              .mapToInt(Integer::parseInt)
              .toArray());
    } catch (NumberFormatException notOurs) {
      return null;
    }
  }
}
