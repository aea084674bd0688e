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
        config.catalogName(), config.catalogProperties(), hadoopConf);
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
