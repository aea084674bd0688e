package dev.floe.common;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of the Floe build, as Connect shows it in {@code GET /connector-plugins}. */
public final class FloeVersion {
  private static final String VERSION = load();

  private FloeVersion() {}

  /**
   * The project version this jar was built from, or {@code unknown} when the resource is missing.
   */
  public static String get() {
    return VERSION;
  }

  private static String load() {
    try (InputStream in = FloeVersion.class.getResourceAsStream("floe-version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties props = new Properties();
      props.load(in);
      return props.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
