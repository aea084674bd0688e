package dev.floe.sink.config;

import dev.floe.common.config.IcebergCatalogFragment;
import java.util.Map;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.kafka.common.config.ConfigValue;

/**
 * The part of validation only a live catalog can answer: can the sink open the catalog and read the
 * namespace it will write to? A failure is pinned on the key that most likely needs to change.
 */
public final class CatalogReachability {
  private CatalogReachability() {}

  /**
   * Opens the catalog; on failure adds an error to {@code iceberg.catalog.uri} (or the type key).
   */
  public static void check(Map<String, String> props, Map<String, ConfigValue> byKey) {
    boolean alreadyWrong = byKey.values().stream().anyMatch(v -> !v.errorMessages().isEmpty());
    if (alreadyWrong) {
      return; // fix the static problems first; opening a half-configured catalog only adds noise
    }
    SinkConfig config = new SinkConfig(props);
    Catalog catalog = null;
    try {
      catalog = CatalogLoader.load(config);
      if (catalog instanceof SupportsNamespaces namespaces) {
        namespaces.namespaceExists(Namespace.of(config.namespace().split("\\.")));
      }
    } catch (RuntimeException | LinkageError e) {
      String key =
          props.containsKey(IcebergCatalogFragment.PREFIX + "uri")
              ? IcebergCatalogFragment.PREFIX + "uri"
              : IcebergCatalogFragment.TYPE;
      byKey
          .computeIfAbsent(key, ConfigValue::new)
          .addErrorMessage(
              "Cannot open the Iceberg catalog '"
                  + config.catalogName()
                  + "': "
                  + rootMessage(e)
                  + ". Check "
                  + key
                  + " and the catalog's credentials under iceberg.catalog.*.");
    } finally {
      closeQuietly(catalog);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName()
        + (root.getMessage() == null ? "" : ": " + root.getMessage());
  }

  private static void closeQuietly(Catalog catalog) {
    if (catalog instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception ignored) {
        // validation is over; a failed close changes nothing it reports
      }
    }
  }
}
