package dev.floe.sink.route;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.expressions.Term;

/**
 * Reads a partition spec written as Iceberg transforms, the way users write them in Spark DDL:
 * {@code region, day(created_at), bucket(id, 16), truncate(sku, 4)}; also {@code identity(col)},
 * {@code year(col)}, {@code month(col)}, {@code hour(col)}.
 */
public final class PartitionSpecText {
  private static final Pattern TERM =
      Pattern.compile("\\s*(?:(\\w+)\\s*\\(\\s*(\\w+)\\s*(?:,\\s*(\\d+)\\s*)?\\)|(\\w+))\\s*");

  private PartitionSpecText() {}

  /** The terms of {@code text}, in order; throws IllegalArgumentException naming what is wrong. */
  public static List<Term> parse(String text) {
    List<Term> terms = new ArrayList<>();
    for (String part : splitTopLevel(text)) {
      Matcher m = TERM.matcher(part);
      if (!m.matches()) {
        throw new IllegalArgumentException("'" + part.trim() + "' is not a partition transform");
      }
      if (m.group(4) != null) {
        terms.add(Expressions.ref(m.group(4)));
        continue;
      }
      terms.add(term(m.group(1).toLowerCase(), m.group(2), m.group(3), part));
    }
    if (terms.isEmpty()) {
      throw new IllegalArgumentException("no partition fields in '" + text + "'");
    }
    return terms;
  }

  private static Term term(String transform, String column, String arg, String part) {
    switch (transform) {
      case "identity":
        return Expressions.ref(column);
      case "year":
      case "years":
        return Expressions.year(column);
      case "month":
      case "months":
        return Expressions.month(column);
      case "day":
      case "days":
        return Expressions.day(column);
      case "hour":
      case "hours":
        return Expressions.hour(column);
      case "bucket":
        return Expressions.bucket(column, width(arg, part));
      case "truncate":
        return Expressions.truncate(column, width(arg, part));
      default:
        throw new IllegalArgumentException(
            "unknown transform '"
                + transform
                + "' in '"
                + part.trim()
                + "': use identity, year, month, day, hour, bucket(col, N) or truncate(col, W)");
    }
  }

  private static int width(String arg, String part) {
    if (arg == null) {
      throw new IllegalArgumentException("'" + part.trim() + "' needs a number: (column, N)");
    }
    return Integer.parseInt(arg);
  }

  private static List<String> splitTopLevel(String text) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      depth += c == '(' ? 1 : c == ')' ? -1 : 0;
      if (c == ',' && depth == 0) {
        parts.add(text.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(text.substring(start));
    parts.removeIf(p -> p.isBlank());
    return parts;
  }
}
