package dev.floe.source.preflight;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Captured tables whose topics Kafka takes for one name: Kafka refuses a topic whose name differs
 * from an existing one only by '.' against '_' (they collide in its metric names), so {@code a.b_c}
 * and {@code a_b.c} cannot both have their topic ({@code <prefix>.a.b_c}, {@code <prefix>.a_b.c}).
 * The second table's first change would fail the source task for good, its slot holding the WAL
 * from there; refused before the start instead, naming both tables and the fix. Checked for
 * Debezium's default topic names only: a topic naming strategy or a transform of the user's own may
 * name them otherwise.
 */
final class TopicNameCheck implements PreflightCheck {
  private static final List<String> DEFAULT_STRATEGIES =
      List.of(
          "io.debezium.schema.SchemaTopicNamingStrategy",
          "io.debezium.schema.DefaultTopicNamingStrategy");

  @Override
  public List<Finding> check(PreflightContext context) {
    String strategy = context.config().getString("topic.naming.strategy");
    if ((strategy != null && !DEFAULT_STRATEGIES.contains(strategy))
        || context.config().getString("transforms") != null) {
      return List.of();
    }
    String prefix = context.config().getString("topic.prefix", "");
    String delimiter = context.config().getString("topic.delimiter", ".");
    // Kafka's view of a topic name (dots as underscores) → the first table and its topic
    Map<String, String[]> taken = new LinkedHashMap<>();
    List<Finding> findings = new ArrayList<>();
    for (CapturedTable table : context.captured()) {
      String topic = sanitized(prefix + delimiter + table.schema() + delimiter + table.name());
      String[] first =
          taken.putIfAbsent(topic.replace('.', '_'), new String[] {table.sqlName(), topic});
      if (first != null && !first[1].equals(topic)) {
        findings.add(
            Finding.error(
                PreflightKeys.tableListKey(context.config()),
                "Tables "
                    + first[0]
                    + " and "
                    + table.sqlName()
                    + " would have topics "
                    + first[1]
                    + " and "
                    + topic
                    + ", which Kafka refuses to hold both of ('.' and '_' collide in its metric"
                    + " names): the source task would fail at the second one's first change. Leave"
                    + " one out (table.exclude.list), or rename its topic with a transform (Kafka"
                    + " Connect's RegexRouter) or another topic.prefix in a connector of its own."));
      }
    }
    return findings;
  }

  /** As Debezium makes a topic name valid: characters Kafka does not allow become '_'. */
  private static String sanitized(String topic) {
    StringBuilder name = new StringBuilder(topic.length());
    for (char c : topic.toCharArray()) {
      boolean valid =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == '-';
      name.append(valid ? c : '_');
    }
    return name.toString();
  }
}
