package dev.floe.common.config;

import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

/**
 * The Iceberg catalog settings: a catalog name, plus everything under {@code iceberg.catalog.}
 * passed through to Iceberg's {@code CatalogUtil}, so REST, Glue, JDBC and Hadoop catalogs and
 * S3FileIO work by configuration alone (for example {@code iceberg.catalog.type=jdbc}, {@code
 * iceberg.catalog.uri}, {@code iceberg.catalog.warehouse}, {@code iceberg.catalog.io-impl}, {@code
 * iceberg.catalog.s3.endpoint}).
 */
public final class IcebergCatalogFragment {
  public static final String GROUP = "Iceberg catalog";
  public static final String PREFIX = "iceberg.catalog.";
  public static final String TYPE = PREFIX + "type";
  public static final String CATALOG_IMPL = PREFIX + "catalog-impl";

  public static final String NAME = "iceberg.catalog-name";
  private static final String NAME_DOC =
      "The name Floe gives the Iceberg catalog it opens. Catalogs that keep several catalogs in one store, "
          + "such as the JDBC catalog, use it to tell them apart. Every other catalog setting is passed "
          + "through from keys that start with 'iceberg.catalog.' (for example 'iceberg.catalog.type', "
          + "'iceberg.catalog.uri', 'iceberg.catalog.warehouse', 'iceberg.catalog.io-impl', "
          + "'iceberg.catalog.s3.endpoint'), with the prefix removed.";

  private IcebergCatalogFragment() {}

  /** Adds this fragment's keys to {@code def}, starting at {@code order} within its group. */
  public static ConfigDef define(ConfigDef def) {
    return def.define(
        NAME,
        Type.STRING,
        "floe",
        new ConfigDef.NonEmptyString(),
        Importance.MEDIUM,
        NAME_DOC,
        GROUP,
        1,
        Width.MEDIUM,
        "Catalog name");
  }

  /** The pass-through catalog properties, prefix removed. */
  public static Map<String, String> catalogProperties(Map<String, String> props) {
    return PrefixedProperties.strip(props, PREFIX);
  }

  /**
   * The problem with the catalog settings, or {@code null}: Iceberg needs either a catalog type or
   * a catalog implementation class to know what to open.
   */
  public static String problem(Map<String, String> props) {
    if (isBlank(props.get(TYPE)) && isBlank(props.get(CATALOG_IMPL))) {
      return "Set '"
          + TYPE
          + "' (rest, glue, jdbc, hadoop, ...) or '"
          + CATALOG_IMPL
          + "' (a Catalog class name) so the sink knows which Iceberg catalog to open.";
    }
    return null;
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }
}
