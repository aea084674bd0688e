package dev.floe.source.preflight;

import dev.floe.source.config.SourceConfig.ToastPolicy;
import java.util.List;

/**
 * Captured tables whose unchanged large values would arrive as placeholders: Postgres stores big
 * text, bytea, jsonb or array values out of line (TOAST) and, unless the table has REPLICA IDENTITY
 * FULL, leaves them out of an update that did not change them. The sink refuses such a change
 * rather than overwrite the value, so by default this is a warning (the connector starts, the
 * tables are named in the log with the fix) and, with {@code floe.preflight.toast=fail}, an error.
 */
final class ToastCheck implements PreflightCheck {
  private final ToastPolicy policy;

  ToastCheck(ToastPolicy policy) {
    this.policy = policy;
  }

  @Override
  public List<Finding> check(PreflightContext context) {
    String key = PreflightKeys.tableListKey(context.config());
    return context.captured().stream()
        .filter(t -> !t.partitioned() && t.toastableColumns() != null && t.replicaIdentity() != 'f')
        .map(
            t ->
                new Finding(
                    key,
                    "Table "
                        + t.sqlName()
                        + " has columns Postgres may store out of line ("
                        + t.toastableColumns()
                        + ") and no REPLICA IDENTITY FULL: an update that leaves such a large"
                        + " value unchanged arrives without it, and the sink refuses that change."
                        + " Run ALTER TABLE "
                        + t.sqlName()
                        + " REPLICA IDENTITY FULL; (Postgres then logs whole old rows).",
                    policy == ToastPolicy.FAIL ? Finding.Severity.ERROR : Finding.Severity.WARNING))
        .toList();
  }
}
