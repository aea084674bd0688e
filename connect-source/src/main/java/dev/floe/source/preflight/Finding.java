package dev.floe.source.preflight;

/**
 * One problem the preflight found: the config key a person must change (or whose target must
 * change), a message that says what is wrong and how to fix it, and whether it blocks the start.
 */
record Finding(String key, String message, boolean blocking) {

  static Finding error(String key, String message) {
    return new Finding(key, message, true);
  }

  static Finding warning(String key, String message) {
    return new Finding(key, message, false);
  }

  /** The same finding with every occurrence of {@code secret} masked. */
  Finding redact(String secret) {
    if (secret == null || secret.isEmpty() || !message.contains(secret)) {
      return this;
    }
    return new Finding(key, message.replace(secret, "********"), blocking);
  }
}
