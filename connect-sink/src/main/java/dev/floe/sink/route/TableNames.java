package dev.floe.sink.route;

import java.nio.charset.StandardCharsets;

/** The names no catalog should take for a table, whatever routed a source table to them. */
final class TableNames {
  private TableNames() {}

  /**
   * The longest name, in UTF-8 bytes, that the JDBC and Glue catalogs and the usual file systems
   * (one folder per table) all take.
   */
  static final int MAX_NAME_BYTES = 255;

  /**
   * What makes {@code name} unusable in any catalog, or null. The table's files go under a path
   * made of its name: a separator would put them inside another table's folder (whose removal would
   * take them along) or outside the namespace's. What a particular catalog refuses beyond this (a
   * character set, say) it says when the table is created ({@link TableProvisioner}).
   */
  static String problemWith(String name) {
    if (name.isBlank()) {
      return "is empty";
    }
    if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
      return "is longer than " + MAX_NAME_BYTES + " bytes";
    }
    if (name.chars().allMatch(c -> c == '.')) {
      return "names a folder, not a table";
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '/' || c == '\\') {
        return "holds a path separator ('" + c + "')";
      }
      if (Character.isISOControl(c)) {
        return "holds a control character (U+" + String.format("%04X", (int) c) + ")";
      }
    }
    return null;
  }
}
