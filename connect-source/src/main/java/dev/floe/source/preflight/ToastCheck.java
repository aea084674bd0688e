package dev.floe.source.preflight;

import dev.floe.source.config.SourceConfig.ToastPolicy;
import dev.floe.source.config.SourceDefaults;
import dev.floe.source.convert.SpecialValuesConverter;
import io.debezium.config.Configuration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Captured tables whose unchanged large values Postgres leaves out of an update: big text, bytea,
 * jsonb or array values stored out of line (TOAST), in a table without REPLICA IDENTITY FULL.
 * Debezium sends a placeholder in their place, and the sink fills in the value from the row's last
 * state; that is information. A column whose type Debezium sends as a plain null instead (a
 * smallint or boolean array, say) cannot be told from a real null: that is a warning, or with
 * {@code floe.preflight.toast=fail} an error, naming the columns and the fix.
 */
final class ToastCheck implements PreflightCheck {
  /** Types whose unchanged value Debezium's own conversions send as the placeholder. */
  private static final Set<String> DEBEZIUM_PLACEHOLDER_TYPES =
      Set.of(
          "text",
          "varchar",
          "bpchar",
          "citext",
          "json",
          "jsonb",
          "xml",
          "tsvector",
          "bytea",
          "hstore",
          "_text",
          "_varchar",
          "_bpchar",
          "_json",
          "_jsonb",
          "_bytea",
          "_int4",
          "_int8",
          "_uuid",
          "_date");

  /** How the catalog query names an array column declared with several dimensions. */
  static final String MULTIDIMENSIONAL = "multidimensional";

  /** Types Floe's converter sends the placeholder for (Debezium's own send null). */
  private static final Set<String> FLOE_CONVERTED =
      Set.of(
          "numeric",
          "_float4",
          "_float8",
          "_numeric",
          "_int2",
          "_timestamptz",
          "_timestamp",
          "_time",
          "_timetz",
          // carried as their Postgres text (MultiDimensionalArrays)
          MULTIDIMENSIONAL,
          "bit",
          "varbit");

  private final ToastPolicy policy;

  ToastCheck(ToastPolicy policy) {
    this.policy = policy;
  }

  @Override
  public List<Finding> check(PreflightContext context) {
    String key = PreflightKeys.tableListKey(context.config());
    Set<String> filled = placeholderTypes(context.config());
    List<Finding> findings = new ArrayList<>();
    for (CapturedTable table : context.captured()) {
      if (table.partitioned()
          || table.toastableColumns() == null
          || table.replicaIdentity() == 'f') {
        continue;
      }
      List<String> recognized = new ArrayList<>();
      List<String> lost = new ArrayList<>();
      for (String column : table.toastableColumns().split(",\\s*")) {
        int colon = column.lastIndexOf(':');
        String name = colon < 0 ? column : column.substring(0, colon);
        String type = colon < 0 ? "" : column.substring(colon + 1);
        // a domain is converted as its base type (Floe's converter is told the domains)
        String base = type.startsWith("@") ? type.substring(1) : type;
        (filled.contains(base) ? recognized : lost).add(name);
      }
      if (!recognized.isEmpty()) {
        findings.add(
            Finding.info(
                key,
                "Table "
                    + table.sqlName()
                    + ": an update that leaves a large value of "
                    + recognized
                    + " unchanged arrives without it (no REPLICA IDENTITY FULL); the sink fills it"
                    + " in from the row's last state (docs/type-mapping.md)."));
      }
      if (!lost.isEmpty()) {
        findings.add(
            new Finding(
                key,
                "Table "
                    + table.sqlName()
                    + " has columns "
                    + lost
                    + " whose large values, when an update leaves them unchanged, Debezium sends"
                    + " as null: the sink cannot tell that from a real null. Run ALTER TABLE "
                    + table.sqlName()
                    + " REPLICA IDENTITY FULL; (Postgres then logs whole old rows).",
                policy == ToastPolicy.FAIL ? Finding.Severity.ERROR : Finding.Severity.WARNING));
      }
    }
    return findings;
  }

  /** The placeholder types under this config: some depend on Floe's converter and bytea's mode. */
  private static Set<String> placeholderTypes(Configuration config) {
    Set<String> types = new HashSet<>(DEBEZIUM_PLACEHOLDER_TYPES);
    // the checks see the config with Floe's defaults applied: no converters means none
    if (SourceDefaults.usesFloeConverter(config.getString("converters"))) {
      types.addAll(FLOE_CONVERTED);
      types.addAll(SpecialValuesConverter.typesCarriedAsText());
    }
    if ("base64".equalsIgnoreCase(config.getString("binary.handling.mode", "bytes"))) {
      types.removeAll(Set.of("bytea", "_bytea"));
    }
    if ("hex".equalsIgnoreCase(config.getString("binary.handling.mode", "bytes"))) {
      types.remove("_bytea");
    }
    return types;
  }
}
