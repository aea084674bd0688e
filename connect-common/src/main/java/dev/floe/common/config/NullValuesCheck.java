package dev.floe.common.config;

import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigValue;

/**
 * Kafka's {@code JsonConverter} replaces a null with the column's default by default ({@code
 * replace.null.with.default=true}), on both ends: a row whose column was explicitly set to NULL
 * would reach Iceberg holding the Postgres default instead, invented data. Both Floe connectors
 * refuse a config that uses the {@code JsonConverter} without turning that off.
 */
public final class NullValuesCheck {
  public static final String KEY = "value.converter.replace.null.with.default";
  private static final String JSON_CONVERTER = "org.apache.kafka.connect.json.JsonConverter";

  private NullValuesCheck() {}

  /** The problem with {@code config}, if it has one. */
  public static Optional<String> problem(Map<String, String> config) {
    if (JSON_CONVERTER.equals(trim(config.get("value.converter")))
        && !"false".equalsIgnoreCase(trim(config.get(KEY)))) {
      return Optional.of(
          "Set "
              + KEY
              + "=false: with the JsonConverter's default (true), a column explicitly set to NULL"
              + " arrives holding its Postgres DEFAULT instead. Set it on the source and the sink.");
    }
    return Optional.empty();
  }

  /** Adds the problem, if any, to the validation results, on {@value #KEY}. */
  public static void check(Map<String, String> config, Map<String, ConfigValue> byKey) {
    problem(config)
        .ifPresent(
            message ->
                byKey
                    .computeIfAbsent(
                        KEY,
                        key ->
                            new ConfigValue(
                                key,
                                config.get(key),
                                java.util.List.of(),
                                new java.util.ArrayList<>()))
                    .addErrorMessage(message));
  }

  private static String trim(String value) {
    return value == null ? null : value.trim();
  }
}
