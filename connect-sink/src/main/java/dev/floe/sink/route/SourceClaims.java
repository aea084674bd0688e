package dev.floe.sink.route;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.kafka.connect.errors.DataException;

/**
 * Which Postgres table owns an Iceberg table named by the default route. {@code <schema>_<table>}
 * is not one to one: {@code a.b_c} and {@code a_b.c} both make {@code a_b_c}, and their rows mixed
 * in one table overwrite each other wherever their keys meet. A table created by the default route
 * records its source ({@value #PROPERTY}: database, schema and table); a second source whose
 * default name is taken is refused with the fix, in every task, after restarts too. Two databases
 * with a table of the same name (two services, each with {@code public.users}) are the usual case.
 * Sources sent to a table by a route regex are merged on purpose and never checked.
 */
public final class SourceClaims {
  /** The table property naming the source ({@code database.schema.table}) a table was made for. */
  public static final String PROPERTY = "floe.source-table";

  /** A source table refused because its default name belongs to another source. */
  public static final class TakenException extends DataException {
    TakenException(String message) {
      super(message);
    }
  }

  private final Function<TableIdentifier, String> recorded;
  private final Map<TableIdentifier, String> owners = new HashMap<>();

  private SourceClaims(Function<TableIdentifier, String> recorded) {
    this.recorded = recorded;
  }

  /** Claims this task makes and finds in the tables it loads (no lookups of its own). */
  public static SourceClaims inTask() {
    return new SourceClaims(table -> null);
  }

  /** Claims read from the tables' properties in {@code catalog}, once per table and task. */
  public static SourceClaims of(Catalog catalog) {
    return new SourceClaims(
        id -> {
          try {
            return catalog.loadTable(id).properties().get(PROPERTY);
          } catch (NoSuchTableException notYet) {
            return null;
          }
        });
  }

  /**
   * Refuses source table {@code source} ({@code database.schema.table}) when {@code table}, its
   * default name, belongs to another source.
   */
  void check(TableIdentifier table, String source) {
    String owner = owners.get(table);
    if (owner == null) {
      owner = recorded.apply(table);
      owners.put(table, owner == null ? source : owner);
      if (owner == null) {
        return;
      }
    }
    if (!owner.equals(source)) {
      throw new TakenException(message(table, source, owner));
    }
  }

  /** The source to record in {@code table} when it is created, or null (a route regex's table). */
  String ownerOf(TableIdentifier table) {
    return owners.get(table);
  }

  /**
   * Null, or why this task's source of {@code id} may not write to {@code table} as loaded: another
   * task created it for another source a moment before. The table's owner is believed from then on.
   */
  String refusalOnLoad(TableIdentifier id, Table table) {
    String mine = owners.get(id);
    String recordedOwner = table.properties().get(PROPERTY);
    if (mine == null || recordedOwner == null || recordedOwner.equals(mine)) {
      return null;
    }
    owners.put(id, recordedOwner);
    return message(id, mine, recordedOwner);
  }

  private static String message(TableIdentifier table, String refused, String owner) {
    String schemaAndTable = refused.substring(refused.indexOf('.') + 1);
    return "Source tables "
        + refused
        + " and "
        + owner
        + " (database.schema.table) both go to Iceberg table "
        + table
        + " under the default naming (<schema>_<table>), which holds "
        + owner
        + "'s rows: the rows of "
        + refused
        + " are not written there. Send it to a table of its own with a sink of its own (another"
        + " iceberg.tables.namespace) or with iceberg.tables.route-regex and"
        + " iceberg.tables.route-replacement (for example route-regex '"
        + schemaAndTable.replace(".", "\\.")
        + "' and route-replacement '"
        + schemaAndTable.replace(".", "__")
        + "'). If the table is meant to take "
        + refused
        + "'s rows from now on (the database was renamed), set its property "
        + PROPERTY
        + " to '"
        + refused
        + "'.";
  }
}
