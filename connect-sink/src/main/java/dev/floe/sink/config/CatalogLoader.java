package dev.floe.sink.config;

import java.sql.Driver;
import java.util.ServiceLoader;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.catalog.Catalog;

/**
 * Opens the Iceberg catalog named in the sink's settings through Iceberg's own {@link CatalogUtil}.
 */
public final class CatalogLoader {
  private CatalogLoader() {}

  public static Catalog load(SinkConfig config) {
    registerPluginJdbcDrivers();
    Object hadoopConf = new org.apache.hadoop.conf.Configuration();
    return CatalogUtil.buildIcebergCatalog(
        config.catalogName(), withDefaults(config.catalogProperties()), hadoopConf);
  }

  /**
   * The catalog's properties, with Iceberg's in-memory manifest cache on unless the user says
   * otherwise: a sink plans the same tables every few seconds (to find the rows it deletes, the
   * last states of rows, the files others added), and manifests never change once written, so each
   * is read from the object store once instead of at every flush.
   */
  static java.util.Map<String, String> withDefaults(java.util.Map<String, String> properties) {
    java.util.Map<String, String> withDefaults = new java.util.HashMap<>(properties);
    withDefaults.putIfAbsent(
        org.apache.iceberg.CatalogProperties.IO_MANIFEST_CACHE_ENABLED, "true");
    return withDefaults;
  }

  /**
   * DriverManager finds drivers through the system class loader, which cannot see the JDBC drivers
   * shipped in the plugin's lib/: loading them here registers them, so a JDBC catalog can connect.
   */
  private static void registerPluginJdbcDrivers() {
    for (Driver ignored : ServiceLoader.load(Driver.class, CatalogLoader.class.getClassLoader())) {
      // instantiating a driver registers it with DriverManager
    }
  }
}
