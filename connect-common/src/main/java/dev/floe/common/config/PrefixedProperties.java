package dev.floe.common.config;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Settings passed through by prefix: {@code iceberg.catalog.uri} reaches Iceberg's {@code
 * CatalogUtil} as {@code uri}. Passing through instead of re-declaring keeps every catalog and
 * FileIO option usable without Floe knowing it, the way Iceberg's own sink does.
 */
public final class PrefixedProperties {
  private PrefixedProperties() {}

  /** Every entry whose key starts with {@code prefix}, with the prefix removed, in key order. */
  public static Map<String, String> strip(Map<String, String> all, String prefix) {
    Map<String, String> out = new TreeMap<>();
    all.forEach(
        (key, value) -> {
          if (key.startsWith(prefix) && key.length() > prefix.length() && value != null) {
            out.put(key.substring(prefix.length()), value);
          }
        });
    return Collections.unmodifiableMap(out);
  }
}
