package dev.floe.source.preflight;

/**
 * One problem the preflight found: the config key a person must change (or whose target must
 * change), a message that says what is wrong and how to fix it, and how much it matters.
 */
record Finding(String key, String message, Severity severity) {

  enum Severity {
    /** Refused at validate and at start. */
    ERROR,
    /**
     * The server did not answer: refused at validate, but at start only logged, since Debezium's
     * task retries a connection that fails and an outage may be over by then.
     */
    UNREACHABLE,
    /** Logged, never refused. */
    WARNING,
    /** What Floe will do about something, logged at info level. */
    INFO
  }

  static Finding error(String key, String message) {
    return new Finding(key, message, Severity.ERROR);
  }

  static Finding unreachable(String key, String message) {
    return new Finding(key, message, Severity.UNREACHABLE);
  }

  static Finding warning(String key, String message) {
    return new Finding(key, message, Severity.WARNING);
  }

  static Finding info(String key, String message) {
    return new Finding(key, message, Severity.INFO);
  }

  /** Whether validation reports it as an error. */
  boolean failsValidation() {
    return severity != Severity.WARNING && severity != Severity.INFO;
  }

  /** Whether the connector refuses to start over it. */
  boolean refusesStart() {
    return severity == Severity.ERROR;
  }

  /** The same finding with every occurrence of {@code secret} masked. */
  Finding redact(String secret) {
    if (secret == null || secret.isEmpty() || !message.contains(secret)) {
      return this;
    }
    return new Finding(key, message.replace(secret, "********"), severity);
  }
}
