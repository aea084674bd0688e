package dev.floe.sink.errors;

import java.util.Map;

/**
 * Where a record the sink cannot apply goes, read from Connect's own error settings of the
 * connector. Connect's {@code ErrantRecordReporter} cannot say it: with {@code
 * errors.tolerance=all} and no dead letter topic it only logs (when {@code errors.log.enable} is
 * set), so a sink that trusted it would claim to have sent records it dropped.
 */
public enum BadRecordPolicy {
  /**
   * {@code errors.tolerance=all} and a dead letter topic: the record goes there, with its reason.
   */
  DEAD_LETTER_TOPIC,
  /**
   * {@code errors.tolerance=all} and no dead letter topic: a legal setting that keeps the task
   * running, but the record is written nowhere. It is logged as dropped and counted.
   */
  DROP,
  /** {@code errors.tolerance=none}, Connect's default: the task fails with the reason. */
  FAIL;

  public static final String TOLERANCE = "errors.tolerance";
  public static final String DEAD_LETTER_TOPIC_NAME = "errors.deadletterqueue.topic.name";

  /** The policy of a connector (or task) configuration. */
  public static BadRecordPolicy of(Map<String, String> config) {
    if (!"all".equalsIgnoreCase(trimmed(config.get(TOLERANCE)))) {
      return FAIL;
    }
    return trimmed(config.get(DEAD_LETTER_TOPIC_NAME)).isEmpty() ? DROP : DEAD_LETTER_TOPIC;
  }

  /**
   * What an operator should know about {@code config} before records are lost, or null. Connect's
   * validation can only report errors, and this setting is legal, so it is a logged warning.
   */
  public static String warning(Map<String, String> config) {
    if (of(config) != DROP) {
      return null;
    }
    return TOLERANCE
        + "=all and no "
        + DEAD_LETTER_TOPIC_NAME
        + ": every record the sink cannot apply (a value its column cannot hold, a malformed"
        + " change event) is DROPPED, logged and counted in the metric dropped-records-total, but"
        + " written nowhere. Set "
        + DEAD_LETTER_TOPIC_NAME
        + " to keep such records, or "
        + TOLERANCE
        + "=none to stop the task on the first one.";
  }

  private static String trimmed(String value) {
    return value == null ? "" : value.trim();
  }
}
