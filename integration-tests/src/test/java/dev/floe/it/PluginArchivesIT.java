package dev.floe.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What each plugin archive holds, read from the zip the build made: no jar the worker provides
 * (Kafka, SLF4J, a logging backend: two copies fight in the worker), no class in two jars, a size
 * budget, and in the sink's every catalog and object store it documents, each loaded and created
 * from the archive's jars alone (with the worker's SLF4J), as plugin isolation loads them.
 */
class PluginArchivesIT {
  private static final long SINK_BUDGET_BYTES = 200L << 20;
  private static final long SOURCE_BUDGET_BYTES = 40L << 20;

  /**
   * Each Debezium jar carries its own {@code io.debezium.Module} (its name and version): Debezium's
   * own distribution has the same three, and nothing depends on which one loads.
   */
  private static final Set<String> KNOWN_SAME_NAMES = Set.of("io/debezium/Module.class");

  private static Map<String, Map<String, Long>> sinkJars;
  private static Map<String, Map<String, Long>> sourceJars;
  @TempDir static Path unzipped;

  @BeforeAll
  static void readArchives() throws IOException {
    sinkJars = jars(Path.of(System.getProperty("floe.sink.archive")));
    sourceJars = jars(Path.of(System.getProperty("floe.source.archive")));
  }

  @Test
  void noArchiveCarriesWhatTheWorkerProvides() {
    for (Map<String, Map<String, Long>> jars : List.of(sinkJars, sourceJars)) {
      for (String jar : jars.keySet()) {
        String name = Path.of(jar).getFileName().toString();
        assertTrue(
            !name.startsWith("kafka-clients")
                && !name.startsWith("connect-api")
                && !name.startsWith("connect-runtime")
                && !name.startsWith("slf4j-")
                && !name.startsWith("log4j-")
                && !name.startsWith("reload4j")
                && !name.startsWith("logback-"),
            jar + " is the worker's to provide");
      }
    }
  }

  @Test
  void noClassIsInTwoJarsWithDifferentBytes() {
    // identical copies are harmless (Parquet's jars each shade the same fastutil classes); two
    // different classes of one name make which one loads a matter of jar order
    for (Map<String, Map<String, Long>> jars : List.of(sinkJars, sourceJars)) {
      Map<String, Long> crcOf = new HashMap<>();
      Map<String, String> owner = new HashMap<>();
      List<String> clashes = new ArrayList<>();
      jars.forEach(
          (jar, classes) ->
              classes.forEach(
                  (name, crc) -> {
                    Long first = crcOf.putIfAbsent(name, crc);
                    if (first != null && !first.equals(crc) && !KNOWN_SAME_NAMES.contains(name)) {
                      clashes.add(name + " in " + owner.get(name) + " and " + jar);
                    }
                    owner.putIfAbsent(name, jar);
                  }));
      assertEquals(List.of(), clashes.stream().limit(20).toList());
    }
  }

  /**
   * What a Confluent Hub style catalog and an operator read: a complete manifest (owner, support,
   * source and documentation, features with the delivery guarantee, requirements, the supported
   * Kafka Connect range) and an etc/ example whose secrets come from a config provider, never
   * written in the file.
   */
  @Test
  void eachArchiveHasACompleteManifestAndAnExampleWithoutSecrets() throws IOException {
    ObjectMapper json = new ObjectMapper();
    for (String property : List.of("floe.sink.archive", "floe.source.archive")) {
      Path archive = Path.of(System.getProperty(property));
      try (ZipFile zip = new ZipFile(archive.toFile())) {
        ZipEntry manifestEntry =
            zip.stream()
                .filter(e -> e.getName().endsWith("/manifest.json"))
                .findFirst()
                .orElseThrow();
        JsonNode manifest = json.readTree(zip.getInputStream(manifestEntry));
        for (String field :
            List.of(
                "name",
                "version",
                "title",
                "description",
                "owner",
                "support",
                "component_types",
                "tags",
                "features",
                "license",
                "requirements",
                "documentation_url",
                "source_url",
                "supported_versions")) {
          assertTrue(manifest.hasNonNull(field), archive.getFileName() + " manifest: " + field);
        }
        assertTrue(manifest.path("support").hasNonNull("summary"), "support summary");
        assertTrue(
            manifest.path("features").path("delivery_guarantee").size() > 0, "delivery guarantee");
        assertTrue(!manifest.path("version").asText().contains("${"), "filtered: " + manifest);

        List<? extends ZipEntry> examples =
            zip.stream().filter(e -> e.getName().contains("/etc/") && !e.isDirectory()).toList();
        assertTrue(!examples.isEmpty(), archive.getFileName() + " has an etc/ example");
        for (ZipEntry example : examples) {
          JsonNode config = json.readTree(zip.getInputStream(example)).path("config");
          config
              .fields()
              .forEachRemaining(
                  e -> {
                    String key = e.getKey().toLowerCase(java.util.Locale.ROOT);
                    if (key.contains("password") || key.contains("secret")) {
                      assertTrue(
                          e.getValue().asText().startsWith("${"),
                          example.getName() + ": " + e.getKey() + " is written in the file");
                    }
                  });
        }
      }
    }
  }

  @Test
  void theArchivesStayWithinTheirSize() throws IOException {
    long sink = Files.size(Path.of(System.getProperty("floe.sink.archive")));
    long source = Files.size(Path.of(System.getProperty("floe.source.archive")));
    assertTrue(sink <= SINK_BUDGET_BYTES, "sink archive " + (sink >> 20) + " MB");
    assertTrue(source <= SOURCE_BUDGET_BYTES, "source archive " + (source >> 20) + " MB");
  }

  @Test
  void theSinkArchiveHoldsNoKerberosJwtSshOrJerseyJars() {
    for (String jar : sinkJars.keySet()) {
      String name = Path.of(jar).getFileName().toString();
      for (String unused : List.of("kerb", "jsch", "jersey-json", "nimbus-jose", "jettison")) {
        assertTrue(!name.startsWith(unused), jar + ": not used by Iceberg in the sink");
      }
    }
  }

  @Test
  void everyCatalogAndFileIoLoadsFromTheSinkArchive() throws Exception {
    Path lib = unzip(Path.of(System.getProperty("floe.sink.archive")));
    ClassLoader before = Thread.currentThread().getContextClassLoader();
    try (URLClassLoader plugin = pluginLoader(lib)) {
      // as the worker does around every call into a plugin: Hadoop loads classes through it
      Thread.currentThread().setContextClassLoader(plugin);
      for (String type :
          List.of(
              "org.apache.iceberg.rest.RESTCatalog",
              "org.apache.iceberg.jdbc.JdbcCatalog",
              "org.apache.iceberg.hadoop.HadoopCatalog",
              "org.apache.iceberg.aws.glue.GlueCatalog",
              "org.apache.iceberg.aws.dynamodb.DynamoDbCatalog",
              "org.apache.iceberg.nessie.NessieCatalog",
              "org.apache.iceberg.aws.s3.S3FileIO",
              "org.apache.iceberg.gcp.gcs.GCSFileIO",
              "org.apache.iceberg.azure.adlsv2.ADLSFileIO",
              "org.apache.iceberg.hadoop.HadoopFileIO",
              "org.apache.iceberg.aws.RESTSigV4AuthManager",
              "com.google.cloud.storage.StorageOptions",
              "com.azure.storage.file.datalake.DataLakeFileClient",
              "com.azure.identity.DefaultAzureCredentialBuilder",
              "org.projectnessie.client.NessieClientBuilder",
              "software.amazon.awssdk.services.dynamodb.DynamoDbClient")) {
        Class<?> loaded = Class.forName(type, true, plugin);
        if (!loaded.isInterface() && hasNoArgConstructor(loaded)) {
          loaded.getConstructor().newInstance();
        }
      }
      // the Hadoop catalog on a file system works without Hadoop's Kerberos jars
      Class<?> roundTrip = Class.forName("org.apache.iceberg.hadoop.HadoopCatalog", true, plugin);
      Object catalog = roundTrip.getConstructor().newInstance();
      Class<?> hadoopConf = Class.forName("org.apache.hadoop.conf.Configuration", true, plugin);
      roundTrip
          .getMethod("setConf", hadoopConf)
          .invoke(catalog, hadoopConf.getConstructor().newInstance());
      roundTrip
          .getMethod("initialize", String.class, Map.class)
          .invoke(catalog, "files", Map.of("warehouse", unzipped.resolve("wh").toUri().toString()));
      Class<?> namespaceType = Class.forName("org.apache.iceberg.catalog.Namespace", true, plugin);
      Object namespace =
          namespaceType.getMethod("of", String[].class).invoke(null, (Object) new String[] {"cdc"});
      Class<?> namespaces =
          Class.forName("org.apache.iceberg.catalog.SupportsNamespaces", true, plugin);
      namespaces.getMethod("createNamespace", namespaceType).invoke(catalog, namespace);
      Object listed = namespaces.getMethod("listNamespaces").invoke(catalog);
      assertEquals("[cdc]", String.valueOf(listed));
    } finally {
      Thread.currentThread().setContextClassLoader(before);
    }
  }

  private static boolean hasNoArgConstructor(Class<?> type) {
    try {
      type.getConstructor();
      return true;
    } catch (NoSuchMethodException none) {
      return false;
    }
  }

  /** As a worker's plugin isolation: the archive's jars, SLF4J from the worker, nothing else. */
  private static URLClassLoader pluginLoader(Path lib) throws IOException {
    List<URL> urls = new ArrayList<>();
    try (var files = Files.list(lib)) {
      for (Path jar : files.filter(f -> f.toString().endsWith(".jar")).toList()) {
        urls.add(jar.toUri().toURL());
      }
    }
    ClassLoader worker = PluginArchivesIT.class.getClassLoader();
    ClassLoader parent =
        new ClassLoader(ClassLoader.getPlatformClassLoader()) {
          @Override
          protected Class<?> findClass(String name) throws ClassNotFoundException {
            if (name.startsWith("org.slf4j.")) {
              return worker.loadClass(name);
            }
            throw new ClassNotFoundException(name);
          }
        };
    return new URLClassLoader(urls.toArray(URL[]::new), parent);
  }

  private static Path unzip(Path archive) throws IOException {
    Path target = unzipped.resolve(archive.getFileName().toString());
    dev.floe.local.PluginArchives.install(target, archive);
    try (var dirs = Files.walk(target)) {
      return dirs.filter(d -> d.getFileName().toString().equals("lib")).findFirst().orElseThrow();
    }
  }

  /**
   * Each jar of the archive's lib/ with the classes it holds and their CRCs (no module-info,
   * package-info or versions).
   */
  private static Map<String, Map<String, Long>> jars(Path archive) throws IOException {
    Map<String, Map<String, Long>> jars = new HashMap<>();
    Path dir = unzipped.resolve("jars-" + archive.getFileName());
    Files.createDirectories(dir);
    try (ZipFile zip = new ZipFile(archive.toFile())) {
      Enumeration<? extends ZipEntry> entries = zip.entries();
      while (entries.hasMoreElements()) {
        ZipEntry entry = entries.nextElement();
        if (!entry.getName().endsWith(".jar")) {
          continue;
        }
        Path jar = dir.resolve(Path.of(entry.getName()).getFileName().toString());
        try (var in = zip.getInputStream(entry)) {
          Files.copy(in, jar);
        }
        jars.put(entry.getName(), classesOf(jar));
      }
    }
    assertTrue(!jars.isEmpty(), archive + " holds no jars");
    return jars;
  }

  private static Map<String, Long> classesOf(Path jar) throws IOException {
    Map<String, Long> classes = new HashMap<>();
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      zip.stream()
          .filter(e -> e.getName().endsWith(".class"))
          .filter(e -> !e.getName().startsWith("META-INF/"))
          .filter(e -> !e.getName().endsWith("module-info.class"))
          .filter(e -> !e.getName().endsWith("package-info.class"))
          .forEach(e -> classes.put(e.getName(), e.getCrc()));
    }
    return classes;
  }
}
