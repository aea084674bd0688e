package dev.floe.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.iceberg.hadoop.HadoopCatalog;

/**
 * A real Iceberg catalog over a temporary directory ({@link HadoopCatalog}: metadata and Parquet
 * files on the local disk), removed when closed. Real files make the numbers include Parquet
 * encoding, compression and the commit's manifest writing, which an in-memory catalog would hide;
 * what they leave out is S3's latency.
 *
 * <p>Files are written by Hadoop's raw local file system with no checksum files and no permission
 * change: without Hadoop's native library, its local file system sets each new file's permissions
 * by running {@code chmod} in a new process, which cost about a tenth of a flush (in JFR, forks of
 * the benchmark's JVM at each manifest, metadata and delete file). An object store has neither, and
 * every benchmark on this warehouse (Floe's and Apache Iceberg's sink alike) is spared both.
 */
final class LocalWarehouse implements AutoCloseable {
  private final Path directory;
  private final HadoopCatalog catalog;

  LocalWarehouse() {
    this(temporaryDirectory());
  }

  /** A warehouse in {@code directory}, which {@link #close()} deletes. */
  LocalWarehouse(Path directory) {
    this.directory = directory;
    Configuration conf = new Configuration();
    conf.set("fs.file.impl", PlainLocalFiles.class.getName());
    conf.setBoolean("fs.file.impl.disable.cache", true);
    catalog = new HadoopCatalog();
    catalog.setConf(conf);
    // with Iceberg's manifest cache, as Floe's connector opens every catalog (CatalogLoader)
    catalog.initialize(
        "bench",
        java.util.Map.of(
            org.apache.iceberg.CatalogProperties.WAREHOUSE_LOCATION,
            directory.toUri().toString(),
            org.apache.iceberg.CatalogProperties.IO_MANIFEST_CACHE_ENABLED,
            "true"));
  }

  private static Path temporaryDirectory() {
    try {
      return Files.createTempDirectory("floe-bench-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The warehouse's URI, for a component that wants to be told where its catalog is. */
  String location() {
    return directory.toUri().toString();
  }

  HadoopCatalog catalog() {
    return catalog;
  }

  /**
   * A v2 table with the schema Floe creates for {@link OrderEvents}, unpartitioned, so every
   * benchmark writes the same Parquet.
   */
  org.apache.iceberg.Table createOrdersTable(String name) {
    org.apache.iceberg.catalog.TableIdentifier id =
        org.apache.iceberg.catalog.TableIdentifier.parse(name);
    if (!catalog.namespaceExists(id.namespace())) {
      catalog.createNamespace(id.namespace());
    }
    return catalog.createTable(
        id,
        dev.floe.sink.schema.TypeMapping.toIcebergSchema(OrderEvents.ROW, java.util.Set.of("id")),
        org.apache.iceberg.PartitionSpec.unpartitioned(),
        java.util.Map.of(org.apache.iceberg.TableProperties.FORMAT_VERSION, "2"));
  }

  /** The local disk without a {@code chmod} per file (public: Hadoop makes it by reflection). */
  public static final class PlainLocalFiles extends RawLocalFileSystem {
    @Override
    public void setPermission(org.apache.hadoop.fs.Path path, FsPermission permission) {
      // the files' permissions are the process's defaults; a benchmark's files are its own
    }
  }

  @Override
  public void close() throws IOException {
    catalog.close();
    try (Stream<Path> files = Files.walk(directory)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }
}
