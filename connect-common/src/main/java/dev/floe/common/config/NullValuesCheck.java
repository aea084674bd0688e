package dev.floe.common.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigValue;

/**
 * Converters that put a column's default in place of a null, unless told not to: a row whose column
 * was explicitly set to NULL would reach Iceberg holding the Postgres DEFAULT instead, invented
 * data. Kafka's {@code JsonConverter} does it on both ends by default ({@code
 * replace.null.with.default=true}); Confluent's {@code AvroConverter} does it unless {@code
 * ignore.default.for.nullables=true}. Both Floe connectors refuse a config that uses one of them
 * without its setting. (Apicurio's AvroConverter has no such setting; Floe's source keeps nulls
 * from it on its own, and its reading side keeps nulls.)
 */
public final class NullValuesCheck {
  /** The JsonConverter's setting. */
  public static final String KEY = "value.converter.replace.null.with.default";

  private record Trap(String converter, String key, String safeValue, String why) {}

  private static final List<Trap> TRAPS =
      List.of(
          new Trap(
              "org.apache.kafka.connect.json.JsonConverter",
              KEY,
              "false",
              "with the JsonConverter's default (true), a column explicitly set to NULL arrives"
                  + " holding its Postgres DEFAULT instead"),
          new Trap(
              "io.confluent.connect.avro.AvroConverter",
              "value.converter.ignore.default.for.nullables",
              "true",
              "with the AvroConverter's default (false), a column explicitly set to NULL arrives"
                  + " holding its Postgres DEFAULT instead"));

  private NullValuesCheck() {}

  /** The problem with {@code config}, if it has one: the key to set, and why. */
  public static Optional<String> problem(Map<String, String> config) {
    return trap(config).map(NullValuesCheck::message);
  }

  private static Optional<Trap> trap(Map<String, String> config) {
    String converter = trim(config.get("value.converter"));
    return TRAPS.stream()
        .filter(t -> t.converter().equals(converter))
        .filter(t -> !t.safeValue().equalsIgnoreCase(trim(config.get(t.key()))))
        .findFirst();
  }

  private static String message(Trap trap) {
    return "Set "
        + trap.key()
        + "="
        + trap.safeValue()
        + ": "
        + trap.why()
        + ". Set it on the source and the sink.";
  }

  /** Adds the problem, if any, to the validation results, on the key to set. */
  public static void check(Map<String, String> config, Map<String, ConfigValue> byKey) {
    trap(config)
        .ifPresent(
            trap ->
                byKey
                    .computeIfAbsent(
                        trap.key(),
                        key -> new ConfigValue(key, config.get(key), List.of(), new ArrayList<>()))
                    .addErrorMessage(message(trap)));
  }

  private static String trim(String value) {
    return value == null ? null : value.trim();
  }
}
