package dev.floe.engines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Spark, with Iceberg's Spark runtime, reads the tables the sink wrote and gets the rows Iceberg's
 * own Java reader got: deletion vectors, position deletes, equality deletes and a compacted table
 * all read the same in a second engine. The tables are written by the sink's code in another JVM
 * (the benchmarks jar), so this module's class path holds Spark's libraries only.
 */
class SparkReadsFloeTablesIT {
  private static final String COLUMNS =
      "id, customer_id, customer_name, status, paid, quantity, weight_kg, note";
  private static Path tables;
  private static SparkSession spark;

  @BeforeAll
  static void writeTablesAndStartSpark() throws Exception {
    Path jar = Path.of(System.getProperty("floe.benchmarks.jar"));
    assertTrue(
        Files.exists(jar), jar + " is missing: build the benchmarks module first (./mvnw verify)");
    tables = Path.of(System.getProperty("floe.tables.dir"));
    if (Files.exists(tables)) { // a fresh write: an earlier run's tables would be written on top of
      try (java.util.stream.Stream<Path> old = Files.walk(tables)) {
        old.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
    Process writer =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g",
                "-cp",
                jar.toString(),
                "dev.floe.bench.EngineCheckTables",
                tables.toString())
            .redirectErrorStream(true)
            .redirectOutput(tables.resolveSibling("floe-tables-writer.log").toFile())
            .start();
    assertTrue(writer.waitFor(5, TimeUnit.MINUTES), "the table writer finished");
    assertEquals(0, writer.exitValue(), "the table writer failed: see floe-tables-writer.log");

    SparkSession.Builder builder =
        SparkSession.builder()
            .master("local[2]")
            .appName("floe-engine-check")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .config(
                "spark.sql.extensions",
                "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions");
    for (String layout : layouts()) {
      String catalog = "spark.sql.catalog." + layout;
      builder
          .config(catalog, "org.apache.iceberg.spark.SparkCatalog")
          .config(catalog + ".type", "hadoop")
          .config(catalog + ".warehouse", tables.resolve(layout).toUri().toString());
    }
    spark = builder.getOrCreate();
  }

  @AfterAll
  static void stopSpark() {
    if (spark != null) {
      spark.stop();
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "v3_deletion_vectors",
        "v2_position_deletes",
        "v3_equality_deletes",
        "v3_compacted"
      })
  void sparkGetsTheRowsIcebergsJavaReaderGets(String layout) throws Exception {
    Map<String, Integer> files = fileCounts(layout);
    List<String> expected = Files.readAllLines(tables.resolve(layout).resolve("expected.txt"));
    assertTrue(expected.size() > 1_000, "a table worth reading: " + expected.size() + " rows");

    List<String> read = new ArrayList<>();
    for (Row row :
        spark
            .sql("SELECT " + COLUMNS + " FROM " + layout + ".cdc.public_orders ORDER BY id")
            .collectAsList()) {
      List<String> values = new ArrayList<>();
      for (int i = 0; i < row.size(); i++) {
        values.add(String.valueOf(row.get(i)));
      }
      read.add(String.join("|", values));
    }

    assertEquals(expected.size(), read.size(), layout + ": rows " + files);
    assertEquals(expected, read, layout);
    // what Spark itself sees of the table's deletes: the layout is what it claims to be
    List<Row> deletes =
        spark
            .sql("SELECT content, file_format FROM " + layout + ".cdc.public_orders.delete_files")
            .collectAsList();
    long byPosition = deletes.stream().filter(d -> d.getInt(0) == 1).count();
    long byEquality = deletes.stream().filter(d -> d.getInt(0) == 2).count();
    assertEquals(files.get("position-deletes").longValue(), byPosition, layout);
    assertEquals(files.get("equality-deletes").longValue(), byEquality, layout);
    switch (layout) {
      case "v3_deletion_vectors" -> {
        assertEquals(0, byEquality, "updates and deletes of old keys leave no equality delete");
        assertTrue(byPosition > 0);
        assertTrue(
            deletes.stream()
                .allMatch(d -> d.getString(1).toUpperCase(Locale.ROOT).equals("PUFFIN")),
            "deletion vectors");
      }
      case "v2_position_deletes" -> {
        assertEquals(0, byEquality);
        assertTrue(byPosition > 0);
      }
      case "v3_equality_deletes" -> assertTrue(byEquality > 0);
      default -> assertEquals(0, deletes.size(), "compacted: nothing to join");
    }
  }

  private static List<String> layouts() {
    return List.of(
        "v3_deletion_vectors", "v2_position_deletes", "v3_equality_deletes", "v3_compacted");
  }

  private static Map<String, Integer> fileCounts(String layout) throws Exception {
    Map<String, Integer> counts = new HashMap<>();
    for (String line : Files.readAllLines(tables.resolve(layout).resolve("files.txt"))) {
      String[] kv = line.split("=");
      counts.put(kv[0], Integer.parseInt(kv[1]));
    }
    return counts;
  }
}
