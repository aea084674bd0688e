package dev.floe.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.hadoop.HadoopCatalog;

/**
 * A real Iceberg catalog over a temporary directory ({@link HadoopCatalog}: metadata and Parquet
 * files on the local disk), removed when closed. Real files make the numbers include Parquet
 * encoding, compression and the commit's manifest writing, which an in-memory catalog would hide;
 * what they leave out is S3's latency.
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
    catalog = new HadoopCatalog(new Configuration(), directory.toUri().toString());
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
