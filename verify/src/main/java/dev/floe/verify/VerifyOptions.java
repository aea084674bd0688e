package dev.floe.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The command line of {@code floe verify}. */
record VerifyOptions(
    String postgresUrl,
    String postgresUser,
    String postgresPassword,
    Map<String, String> catalog,
    String catalogName,
    String namespace,
    List<String> tables,
    boolean json,
    int buckets,
    long rowsPerSecond,
    long settleMillis,
    int maxDifferences,
    String history,
    String kafkaBootstrap,
    String slot) {

  static final String USAGE =
      String.join(
          "\n",
          "Usage: floe verify --postgres-url URL [options]",
          "Compares Postgres tables with the Iceberg tables Floe's sink keeps; exit code 0 only when",
          "every table is equal, 1 when one differs, 2 on a usage or connection error.",
          "  --postgres-url URL       jdbc:postgresql://host:port/db (user and password: --postgres-user,",
          "                           --postgres-password, or PGUSER and PGPASSWORD); use a read-only role",
          "  --sink-config FILE       the sink connector's JSON: its iceberg.catalog.* settings, catalog name",
          "                           and iceberg.tables.namespace are used",
          "  --catalog KEY=VALUE      an Iceberg catalog property (repeatable; overrides --sink-config)",
          "  --namespace NS           the sink's namespace (default: the sink config's, else cdc)",
          "  --tables S.T[,S.T...]    Postgres tables to compare (default: every table with an Iceberg",
          "                           table in the namespace)",
          "  --json                   the report as JSON",
          "  --buckets N              key buckets of the digest (default 1024)",
          "  --max-rows-per-second N  a bound on the rows read from Postgres per second (default none)",
          "  --kafka-bootstrap HOSTS  the Kafka the pipeline runs through: a key that differs is read",
          "                           again once the source has confirmed the LSN Postgres was read at",
          "                           (--slot) and the table's commits reach the topics' offsets of then,",
          "                           and is reported only if it still differs with its Postgres row",
          "                           unchanged; without it, differing keys are read again every 2 s",
          "  --slot NAME              the source's replication slot (default floe_slot)",
          "  --settle-seconds N       how long at most differing keys are waited for (default 30; 0",
          "                           reports the first look)",
          "  --max-differences N      rows listed per table (default 100)",
          "  --history TABLE          instead of comparing: the ingestion audit of Postgres table TABLE's",
          "                           Iceberg table (its last 50 commits: events, source LSN, lag, offsets)");

  static VerifyOptions parse(String[] args) throws IOException {
    String url = null;
    String user = System.getenv().getOrDefault("PGUSER", "postgres");
    String password = System.getenv().get("PGPASSWORD");
    Map<String, String> catalog = new LinkedHashMap<>();
    Map<String, String> overrides = new LinkedHashMap<>();
    String catalogName = "floe";
    String namespace = null;
    List<String> tables = new ArrayList<>();
    boolean json = false;
    int buckets = 1024;
    long rate = 0;
    long settle = 30_000;
    int maxDifferences = 100;
    String history = null;
    String kafka = null;
    String slot = "floe_slot";
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--postgres-url" -> url = args[++i];
        case "--postgres-user" -> user = args[++i];
        case "--postgres-password" -> password = args[++i];
        case "--sink-config" -> {
          JsonNode config = new ObjectMapper().readTree(Path.of(args[++i]).toFile());
          config = config.has("config") ? config.get("config") : config;
          for (var field : (Iterable<Map.Entry<String, JsonNode>>) config::fields) {
            String key = field.getKey();
            if (key.startsWith("iceberg.catalog.")) {
              catalog.put(key.substring("iceberg.catalog.".length()), field.getValue().asText());
            } else if (key.equals("iceberg.catalog-name")) {
              catalogName = field.getValue().asText();
            } else if (key.equals("iceberg.tables.namespace") && namespace == null) {
              namespace = field.getValue().asText();
            }
          }
        }
        case "--catalog" -> {
          String[] kv = args[++i].split("=", 2);
          overrides.put(kv[0], kv.length > 1 ? kv[1] : "");
        }
        case "--namespace" -> namespace = args[++i];
        case "--tables" -> tables.addAll(List.of(args[++i].split(",")));
        case "--json" -> json = true;
        case "--buckets" -> buckets = Integer.parseInt(args[++i]);
        case "--max-rows-per-second" -> rate = Long.parseLong(args[++i]);
        case "--settle-seconds" -> settle = Long.parseLong(args[++i]) * 1_000;
        case "--max-differences" -> maxDifferences = Integer.parseInt(args[++i]);
        case "--history" -> history = args[++i];
        case "--kafka-bootstrap" -> kafka = args[++i];
        case "--slot" -> slot = args[++i];
        case "-h", "--help" -> {
          return null;
        }
        default -> throw new IllegalArgumentException("unknown option " + arg + "\n" + USAGE);
      }
    }
    if (url == null && history == null) {
      throw new IllegalArgumentException("--postgres-url is required\n" + USAGE);
    }
    catalog.putAll(overrides);
    if (catalog.isEmpty()) {
      throw new IllegalArgumentException(
          "no Iceberg catalog: give --sink-config or --catalog type=...\n" + USAGE);
    }
    return new VerifyOptions(
        url,
        user,
        password,
        catalog,
        catalogName,
        namespace == null ? "cdc" : namespace,
        tables,
        json,
        buckets,
        rate,
        settle,
        maxDifferences,
        history,
        kafka,
        slot);
  }
}
