package dev.floe.source.preflight;

import java.sql.SQLException;
import java.util.List;

/**
 * The role may open a replication connection: a superuser, a role with the REPLICATION attribute,
 * or (on Amazon RDS and Aurora) a member of one of the roles that grant it there.
 */
final class ReplicationRoleCheck implements PreflightCheck {
  private static final String MAY_REPLICATE =
      "select r.rolreplication or exists (select 1 from pg_roles b"
          + " where b.rolname in ('rds_superuser', 'rdsadmin', 'rdsrepladmin', 'rds_replication')"
          + " and pg_has_role(current_user, b.oid, 'MEMBER'))"
          + " from pg_roles r where r.rolname = current_user";

  @Override
  public List<Finding> check(PreflightContext context) throws SQLException {
    if (context.superuser() || "t".equals(context.queryText(MAY_REPLICATE))) {
      return List.of();
    }
    String role = context.user();
    return List.of(
        Finding.error(
            PreflightKeys.USER,
            "The role '"
                + role
                + "' may not stream changes: it has neither the REPLICATION attribute nor"
                + " superuser. Run ALTER ROLE "
                + role
                + " REPLICATION; (on Amazon RDS or Aurora: GRANT rds_replication TO "
                + role
                + ";), or set database.user to a role that has it. docs/source-privileges.md"
                + " lists everything the role needs."));
  }
}
