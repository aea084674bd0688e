package dev.floe.source.preflight;

import java.util.List;

/** The role can read every captured table, which the initial snapshot does. */
final class TablePrivilegeCheck implements PreflightCheck {

  @Override
  public List<Finding> check(PreflightContext context) {
    List<CapturedTable> unreadable =
        context.captured().stream().filter(t -> !t.canSelect()).toList();
    if (unreadable.isEmpty()) {
      return List.of();
    }
    String role = context.user();
    String tables = String.join(", ", unreadable.stream().map(CapturedTable::sqlName).toList());
    String schemas =
        String.join(", ", unreadable.stream().map(CapturedTable::sqlSchema).distinct().toList());
    return List.of(
        Finding.error(
            PreflightKeys.USER,
            "The role '"
                + role
                + "' cannot read "
                + tables
                + ", so the snapshot of "
                + (unreadable.size() == 1 ? "it" : "them")
                + " would fail. Run GRANT USAGE ON SCHEMA "
                + schemas
                + " TO "
                + role
                + "; GRANT SELECT ON "
                + tables
                + " TO "
                + role
                + "; or leave "
                + (unreadable.size() == 1 ? "it" : "them")
                + " out of "
                + PreflightKeys.tableListKey(context.config())
                + "."));
  }
}
