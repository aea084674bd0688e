package dev.floe.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * What can be checked of docker-compose.yml without a Docker engine: it parses, every image is
 * pinned to a version, every file it mounts exists, the services it names are the hosts the
 * connector configs and the worker point at, the secrets the configs read are in the mounted file,
 * and no two services publish the same host port. The connector JSON it registers passes the
 * ConfigDefs in {@link ConfigExamplesTest}, which reads every JSON file under config-examples/.
 */
class ComposeFileTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern PINNED = Pattern.compile("[a-z0-9./-]+:[^:]*[0-9][^:]*");
  private static final Pattern FILE_SECRET = Pattern.compile("\\$\\{file:([^:]+):([^}]+)}");

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> services() throws IOException {
    try (Reader in = Files.newBufferedReader(ROOT.resolve("docker-compose.yml"))) {
      Map<String, Object> compose = new Yaml().load(in);
      return (Map<String, Map<String, Object>>) compose.get("services");
    }
  }

  @Test
  void everyImageIsPinnedToAVersion() throws IOException {
    services()
        .forEach(
            (name, service) -> {
              String image = String.valueOf(service.get("image"));
              assertTrue(
                  PINNED.matcher(image).matches() && !image.endsWith(":latest"),
                  name + ": image " + image + " is not pinned to a version");
            });
  }

  @Test
  void everyMountedFileExistsOrIsBuiltByTheBuild() throws IOException {
    for (Map.Entry<String, Map<String, Object>> service : services().entrySet()) {
      for (String mount : mounts(service.getValue())) {
        String source = mount.split(":")[0];
        if (!source.startsWith("./")) {
          continue; // a named volume
        }
        Path path = ROOT.resolve(source.substring(2)).normalize();
        if (path.getFileName().toString().equals("target")) {
          // the plugin archives: a module of this build that makes one
          String pom = Files.readString(path.getParent().resolve("pom.xml"));
          assertTrue(
              pom.contains("<plugin.archive.name>"),
              service.getKey() + ": " + source + " is not where an archive is built");
          continue;
        }
        assertTrue(Files.exists(path), service.getKey() + ": " + source + " does not exist");
      }
    }
  }

  @Test
  void thePluginsScriptUnzipsTheArchivesTheBuildMakes() throws IOException {
    String script = Files.readString(ROOT.resolve("config-examples/compose/plugins.sh"));
    for (String module : List.of("connect-source", "connect-sink")) {
      Matcher name =
          Pattern.compile("<plugin.archive.name>(.+)</plugin.archive.name>")
              .matcher(Files.readString(ROOT.resolve(module).resolve("pom.xml")));
      assertTrue(name.find());
      assertTrue(script.contains(name.group(1) + "-*.zip"), "plugins.sh unzips " + name.group(1));
    }
  }

  @Test
  void noTwoServicesPublishTheSameHostPort() throws IOException {
    Map<String, String> byPort = new HashMap<>();
    services()
        .forEach(
            (name, service) -> {
              for (Object port : list(service.get("ports"))) {
                String host = String.valueOf(port).split(":")[0];
                String earlier = byPort.put(host, name);
                assertEquals(
                    null, earlier, "host port " + host + " of " + name + " and " + earlier);
              }
            });
    assertFalse(byPort.isEmpty());
  }

  @Test
  @SuppressWarnings("unchecked")
  void dependenciesNameServicesOfTheFile() throws IOException {
    Map<String, Map<String, Object>> services = services();
    services.forEach(
        (name, service) -> {
          Object dependsOn = service.getOrDefault("depends_on", Map.of());
          for (Object dependency : ((Map<String, Object>) dependsOn).keySet()) {
            assertTrue(services.containsKey(dependency), name + " depends on " + dependency);
          }
        });
  }

  @Test
  void theConnectorsAndTheWorkerPointAtServicesOfTheFile() throws IOException {
    Set<String> names = services().keySet();
    Path compose = ROOT.resolve("config-examples/compose");
    Map<String, String> source = config(compose.resolve("postgres-source.json"));
    Map<String, String> sink = config(compose.resolve("iceberg-sink.json"));
    assertTrue(names.contains(source.get("database.hostname")), "source database host");
    assertTrue(names.contains(URI.create(sink.get("iceberg.catalog.uri")).getHost()), "catalog");
    assertTrue(names.contains(URI.create(sink.get("iceberg.catalog.s3.endpoint")).getHost()), "S3");
    Properties worker = properties(compose.resolve("connect-distributed.properties"));
    assertTrue(names.contains(worker.getProperty("bootstrap.servers").split(":")[0]), "Kafka");
    assertEquals("/plugins", worker.getProperty("plugin.path"));
  }

  @Test
  void theSecretsTheConnectorsReadAreInTheMountedFile() throws IOException {
    Map<String, Object> connect = services().get("connect");
    Path compose = ROOT.resolve("config-examples/compose");
    Map<String, Path> mounted = new HashMap<>();
    for (String mount : mounts(connect)) {
      String[] parts = mount.split(":");
      mounted.put(parts[1], ROOT.resolve(parts[0].substring(2)).normalize());
    }
    List<String> read = new ArrayList<>();
    for (String file : List.of("postgres-source.json", "iceberg-sink.json")) {
      for (String value : config(compose.resolve(file)).values()) {
        Matcher secret = FILE_SECRET.matcher(value);
        while (secret.find()) {
          Path host = mounted.get(secret.group(1));
          assertTrue(host != null, secret.group(1) + " is not mounted into the worker");
          assertTrue(
              properties(host).containsKey(secret.group(2)),
              secret.group(2) + " is not in " + host);
          read.add(properties(host).getProperty(secret.group(2)));
        }
      }
    }
    assertEquals(2, read.size(), "the Postgres password and the S3 secret");
    // and they are what the services were started with
    Set<String> environment = new HashSet<>();
    services().values().forEach(s -> environment.addAll(env(s).values()));
    assertTrue(environment.containsAll(read), "secrets match the services' credentials");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> env(Map<String, Object> service) {
    Map<String, String> env = new HashMap<>();
    ((Map<String, Object>) service.getOrDefault("environment", Map.of()))
        .forEach((k, v) -> env.put(k, String.valueOf(v)));
    return env;
  }

  private static List<String> mounts(Map<String, Object> service) {
    List<String> mounts = new ArrayList<>();
    list(service.get("volumes")).forEach(m -> mounts.add(String.valueOf(m)));
    return mounts;
  }

  private static List<?> list(Object value) {
    return value == null ? List.of() : (List<?>) value;
  }

  private static Map<String, String> config(Path file) throws IOException {
    JsonNode json = new ObjectMapper().readTree(file.toFile());
    Map<String, String> config = new HashMap<>();
    json.get("config")
        .fields()
        .forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
    return config;
  }

  private static Properties properties(Path file) throws IOException {
    Properties properties = new Properties();
    try (Reader in = Files.newBufferedReader(file)) {
      properties.load(in);
    }
    return properties;
  }
}
