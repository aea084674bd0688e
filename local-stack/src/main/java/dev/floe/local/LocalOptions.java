package dev.floe.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line of {@code floe-local up}. */
record LocalOptions(
    Path dataDir,
    Path configDir,
    List<Path> pluginArchives,
    PostgresEndpoint externalPostgres,
    int postgresPort,
    int kafkaPort,
    int connectPort,
    int s3Port,
    boolean demo,
    int statusIntervalSeconds,
    int registryPort) {

  static final String USAGE =
      String.join(
          "\n",
          "Usage: floe-local up [options]",
          "  --demo                 create a demo schema and keep writing inserts, updates and deletes",
          "  --avro                 Avro on the topics: Apicurio's AvroConverter (Confluent wire format)",
          "                         and a schema registry on --registry-port (config-examples/avro)",
          "  --registry-port N      the schema registry's port with --avro (default 8081)",
          "  --postgres-url URL     capture an existing database (postgresql://user:password@host:port/db)",
          "                         instead of starting an embedded one",
          "  --data-dir DIR         where Postgres, Kafka and S3 keep their data (default .floe-local)",
          "  --postgres-port N      embedded Postgres port (default 55432)",
          "  --kafka-port N         Kafka port (default 9092)",
          "  --connect-port N       Connect REST port (default 8083)",
          "  --s3-port N            S3 endpoint port (default 9000)",
          "  --status-every N       seconds between status lines (default 5)");

  /** Parses the arguments after {@code up}; null when help was asked for. */
  static LocalOptions parse(String[] args) {
    Path root = Path.of(System.getProperty("floe.home", ".")).toAbsolutePath().normalize();
    String version = System.getProperty("floe.version", "0.1.0-SNAPSHOT");
    Path dataDir = root.resolve(".floe-local");
    PostgresEndpoint external = null;
    int pg = 55432;
    int kafka = 9092;
    int connect = 8083;
    int s3 = 9000;
    int every = 5;
    boolean demo = false;
    boolean avro = false;
    int registry = 8081;
    List<String> rest = new ArrayList<>(List.of(args));
    if (!rest.isEmpty() && rest.get(0).equals("up")) {
      rest.remove(0);
    }
    for (int i = 0; i < rest.size(); i++) {
      String arg = rest.get(i);
      switch (arg) {
        case "--demo" -> demo = true;
        case "--avro" -> avro = true;
        case "--registry-port" -> registry = Integer.parseInt(value(rest, ++i, arg));
        case "--postgres-url" -> external = PostgresEndpoint.parse(value(rest, ++i, arg));
        case "--data-dir" -> dataDir = Path.of(value(rest, ++i, arg)).toAbsolutePath();
        case "--postgres-port" -> pg = Integer.parseInt(value(rest, ++i, arg));
        case "--kafka-port" -> kafka = Integer.parseInt(value(rest, ++i, arg));
        case "--connect-port" -> connect = Integer.parseInt(value(rest, ++i, arg));
        case "--s3-port" -> s3 = Integer.parseInt(value(rest, ++i, arg));
        case "--status-every" -> every = Integer.parseInt(value(rest, ++i, arg));
        case "-h", "--help", "help" -> {
          return null;
        }
        default -> throw new IllegalArgumentException("Unknown option " + arg + "\n" + USAGE);
      }
    }
    List<Path> archives =
        new ArrayList<>(
            List.of(
                root.resolve("connect-source/target/floe-postgres-source-" + version + ".zip"),
                root.resolve("connect-sink/target/floe-iceberg-sink-" + version + ".zip")));
    if (avro) {
      // the converter installed as an operator would: its jars in a folder of plugin.path
      archives.add(root.resolve("avro-converter/target/plugin/apicurio-avro-converter"));
    }
    return new LocalOptions(
        dataDir,
        root.resolve(avro ? "config-examples/avro" : "config-examples/local"),
        archives,
        external,
        pg,
        kafka,
        connect,
        s3,
        demo,
        every,
        avro ? registry : 0);
  }

  private static String value(List<String> args, int i, String option) {
    if (i >= args.size()) {
      throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
    }
    return args.get(i);
  }
}
