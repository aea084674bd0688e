package dev.floe.sink.route;

import java.sql.SQLException;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.BadRequestException;
import org.apache.iceberg.exceptions.ValidationException;

/**
 * Tells a catalog that refuses a table's name (the records routed to it are the problem, and go to
 * the dead letter topic) from a catalog that fails (unreachable, forbidden, broken: the task must
 * stop until it works again). Each catalog says it its own way: the JDBC catalog's database with a
 * data exception (a name too long for its column, a byte its encoding refuses), a REST catalog with
 * 400 Bad Request, Iceberg and Glue with a validation error that names the table.
 */
final class CatalogRefusal {
  private CatalogRefusal() {}

  /** Why the catalog refused {@code id}, as a message for the dead letter topic; else null. */
  static String ofName(TableIdentifier id, Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      boolean refused =
          t instanceof BadRequestException
              || (t instanceof SQLException sql
                  && sql.getSQLState() != null
                  && sql.getSQLState().startsWith("22")) // SQLSTATE class 22: data exception
              || ((t instanceof ValidationException || t instanceof IllegalArgumentException)
                  && t.getMessage() != null
                  && t.getMessage().contains(id.name()));
      if (refused) {
        return "The Iceberg catalog refused table "
            + id
            + ": "
            + t.getMessage()
            + ". Route the source table to a name the catalog takes with"
            + " iceberg.tables.route-regex and iceberg.tables.route-replacement.";
      }
    }
    return null;
  }
}
