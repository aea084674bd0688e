package dev.floe.source.preflight;

import io.debezium.connector.postgresql.PostgresConnectorConfig.AutoCreateMode;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The connector can use its publication: it exists and publishes every captured table, or the role
 * may create it (or bring its table list up to date) the way {@code publication.autocreate.mode}
 * asks. Creating a publication FOR TABLE needs CREATE on the database and ownership of each table,
 * FOR ALL TABLES needs a superuser, and in filtered mode Debezium runs ALTER PUBLICATION ... SET
 * TABLE whenever the published tables differ from the captured ones, which needs ownership of the
 * publication and the tables.
 */
final class PublicationCheck implements PreflightCheck {

  @Override
  public List<Finding> check(PreflightContext context) throws SQLException {
    String name = context.postgres().publicationName();
    AutoCreateMode mode =
        AutoCreateMode.parse(context.config().getString(PreflightKeys.PUBLICATION_MODE));
    PublicationState publication = PublicationState.read(context, name);
    String create = "CREATE PUBLICATION " + name + " FOR TABLE " + context.capturedList() + ";";
    Set<String> captured = new LinkedHashSet<>();
    context.captured().forEach(t -> captured.add(t.schema() + "." + t.name()));
    boolean superuser = context.superuser();
    if (mode == AutoCreateMode.DISABLED) {
      if (publication == null) {
        return error(
            PreflightKeys.PUBLICATION_NAME,
            "The publication '"
                + name
                + "' does not exist, and publication.autocreate.mode=disabled keeps the connector"
                + " from creating it. Have an administrator run "
                + create
                + " or set publication.autocreate.mode=filtered (see docs/source-privileges.md).");
      }
      List<String> missing =
          context.captured().stream()
              .filter(t -> !publication.publishes(t.schema() + "." + t.name()))
              .map(CapturedTable::sqlName)
              .toList();
      return missing.isEmpty()
          ? List.of()
          : error(
              PreflightKeys.PUBLICATION_NAME,
              "The publication '"
                  + name
                  + "' does not publish "
                  + String.join(", ", missing)
                  + ", so changes to them would never arrive. Run ALTER PUBLICATION "
                  + name
                  + " ADD TABLE "
                  + String.join(", ", missing)
                  + "; or leave them out of "
                  + PreflightKeys.tableListKey(context.config())
                  + ".");
    }
    if (mode == AutoCreateMode.FILTERED && publication != null && publication.allTables()) {
      return error(
          PreflightKeys.PUBLICATION_MODE,
          "The publication '"
              + name
              + "' publishes all tables, and publication.autocreate.mode=filtered cannot narrow"
              + " it. Set publication.autocreate.mode=disabled (or all_tables), or choose another"
              + " publication.name.");
    }
    if (superuser) {
      return List.of();
    }
    if (mode == AutoCreateMode.ALL_TABLES && publication == null) {
      return error(
          PreflightKeys.PUBLICATION_MODE,
          "Only a superuser can create the publication '"
              + name
              + "' FOR ALL TABLES, and the role '"
              + context.user()
              + "' is none. Have an administrator run CREATE PUBLICATION "
              + name
              + " FOR ALL TABLES; or set publication.autocreate.mode=disabled with a publication"
              + " created beforehand: "
              + create);
    }
    if (mode != AutoCreateMode.FILTERED) {
      return List.of();
    }
    List<String> notOwned =
        context.captured().stream().filter(t -> !t.owned()).map(CapturedTable::sqlName).toList();
    boolean canCreate =
        "t"
            .equals(
                context.queryText("select has_database_privilege(current_database(), 'CREATE')"));
    boolean mustWrite = publication == null || !publication.tables().equals(captured);
    boolean mayWrite =
        (publication == null ? canCreate : publication.owned()) && notOwned.isEmpty();
    if (!mustWrite || mayWrite) {
      return List.of();
    }
    String why =
        publication == null
            ? "cannot create the publication '"
                + name
                + "'"
                + (canCreate ? "" : " (it lacks CREATE on the database)")
            : "cannot bring the publication '"
                + name
                + "' to the captured tables with ALTER PUBLICATION ... SET TABLE"
                + (publication.owned() ? "" : " (it does not own the publication)");
    return error(
        PreflightKeys.PUBLICATION_MODE,
        "With publication.autocreate.mode=filtered the role '"
            + context.user()
            + "' "
            + why
            + (notOwned.isEmpty() ? "" : " and does not own " + String.join(", ", notOwned))
            + ". The production-safe fix: have an administrator run "
            + (publication == null
                ? create
                : "ALTER PUBLICATION " + name + " SET TABLE " + context.capturedList() + ";")
            + " and set publication.autocreate.mode=disabled (see docs/source-privileges.md).");
  }

  private static List<Finding> error(String key, String message) {
    return List.of(Finding.error(key, message));
  }
}
