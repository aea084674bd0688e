package dev.floe.sink.schema;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.UpdateProperties;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps min/max statistics off the {@code uuid} columns of the tables the sink writes: per column,
 * no bounds in the manifests ({@code write.metadata.metrics.column.<c>=counts}) and none in the
 * Parquet footers ({@code write.parquet.stats-enabled.column.<c>=false}), set where the table does
 * not say otherwise.
 *
 * <p>Why: Iceberg (1.12) compares UUIDs as Java does, by signed halves, while the bounds are in
 * unsigned byte order. A file holding UUIDs on both sides of the top bit (random UUIDs always are)
 * then looks as if it held none of its own values: a reader's {@code WHERE id = '...'} prunes the
 * file or row group holding the row, and an equality delete whose bounds seem not to overlap a data
 * file's is not applied to it. Without bounds nothing is pruned on the column, and every delete
 * applies where it may. Random UUIDs prune almost nothing anyway.
 */
public final class UuidColumnStatistics {
  private static final Logger LOG = LoggerFactory.getLogger(UuidColumnStatistics.class);
  static final String NO_BOUNDS = "counts";

  private UuidColumnStatistics() {}

  /** The properties {@code table} lacks to keep its uuid columns without statistics. */
  static Map<String, String> missing(Table table) {
    Map<String, String> missing = new LinkedHashMap<>();
    Map<String, String> has = table.properties();
    // top-level columns: Postgres's uuid columns, keys among them (no engine filters on the
    // elements of a uuid[] by bounds)
    for (Types.NestedField column : table.schema().columns()) {
      if (column.type().typeId() != Type.TypeID.UUID) {
        continue;
      }
      String metrics = TableProperties.METRICS_MODE_COLUMN_CONF_PREFIX + column.name();
      String parquet = TableProperties.PARQUET_COLUMN_STATS_ENABLED_PREFIX + column.name();
      if (!has.containsKey(metrics)) {
        missing.put(metrics, NO_BOUNDS);
      }
      if (!has.containsKey(parquet)) {
        missing.put(parquet, "false");
      }
    }
    return missing;
  }

  /**
   * Sets what {@link #missing} finds, before the sink writes the table's files. A refusal (a
   * catalog that does not let this user change properties) is logged, not raised: the sink's own
   * reads do not filter on UUIDs.
   */
  public static void keepOff(Table table) {
    Map<String, String> missing = missing(table);
    if (missing.isEmpty()) {
      return;
    }
    try {
      UpdateProperties update = table.updateProperties();
      missing.forEach(update::set);
      update.commit();
      LOG.info(
          "{}: no min/max statistics for its uuid columns ({}): Iceberg compares UUIDs signed,"
              + " their bounds are unsigned, and readers filtering on them would skip rows",
          table.name(),
          missing.keySet());
    } catch (RuntimeException refused) {
      LOG.warn(
          "{}: could not set {} ({}); readers of Iceberg 1.12 filtering on its uuid columns may"
              + " skip files that hold the rows",
          table.name(),
          missing,
          refused.toString());
    }
  }
}
