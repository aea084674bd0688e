package dev.floe.source.convert;

import java.sql.SQLException;
import java.util.Set;
import org.apache.kafka.connect.errors.DataException;
import org.postgresql.geometric.PGbox;
import org.postgresql.geometric.PGcircle;
import org.postgresql.geometric.PGline;
import org.postgresql.geometric.PGlseg;
import org.postgresql.geometric.PGpath;
import org.postgresql.geometric.PGpolygon;
import org.postgresql.util.PGobject;

/**
 * Types Debezium has no conversion for, carried as their Postgres text: without it their columns
 * were left out of every event (composite types, {@code tsquery}, {@code pg_lsn}, {@code jsonpath},
 * multiranges, geometric types, {@code xid}, {@code reg*}) or arrived empty ({@code int2vector}) or
 * as null from the WAL ({@code name}); and arrays of {@code money} and {@code interval}, element by
 * element. The WAL hands their text (Debezium's {@code include.unknown.datatypes}, set by Floe's
 * defaults); the snapshot the driver's object, whose text is the same, except for geometric types,
 * which the driver parses: both paths write those as the driver does ({@code (1.0,1.0),(0.0,0.0)}),
 * so a row reads the same whichever path carried it.
 */
final class PostgresText {
  private static final Set<String> SCALARS =
      Set.of(
          dev.floe.source.config.DomainTypes.COMPOSITE,
          "tsquery",
          "pg_lsn",
          "jsonpath",
          "int4multirange",
          "int8multirange",
          "nummultirange",
          "datemultirange",
          "tsmultirange",
          "tstzmultirange",
          "xid",
          "xid8",
          "regclass",
          "regtype",
          "regproc",
          "regnamespace",
          "regrole",
          "int2vector",
          "oidvector",
          "name",
          "box",
          "circle",
          "line",
          "lseg",
          "path",
          "polygon");

  /**
   * Array types carried element by element as text (their elements are comma-separated): the ones
   * Debezium left out, and the ones it sent as null when an update left a large one out (its
   * conversion of them gives the same text).
   */
  private static final Set<String> ARRAYS =
      Set.of(
          "_" + dev.floe.source.config.DomainTypes.COMPOSITE,
          // left out of every event by Debezium, or sent as the bytes of their text
          "_point",
          "_box",
          "_name",
          "_regclass",
          "_regtype",
          "_regproc",
          "_regnamespace",
          "_regrole",
          "_xid",
          "_xid8",
          // arrays of bit strings: Debezium sent null
          "_bit",
          "_varbit",
          "_xml",
          "_circle",
          "_line",
          "_lseg",
          "_path",
          "_polygon",
          "_tsquery",
          "_pg_lsn",
          "_jsonpath",
          "_money",
          "_interval",
          "_" + dev.floe.source.config.DomainTypes.ENUM,
          "_inet",
          "_cidr",
          "_macaddr",
          "_macaddr8");

  private PostgresText() {}

  /** Every type name this class carries, its arrays' included. */
  static Set<String> types() {
    Set<String> types = new java.util.HashSet<>(SCALARS);
    types.addAll(ARRAYS);
    return types;
  }

  static boolean carries(String type) {
    return SCALARS.contains(type);
  }

  static boolean carriesElementsOf(String type) {
    return ARRAYS.contains(type);
  }

  /** The value's text: geometric types in the driver's writing on both paths. */
  static String of(String type, Object value) {
    try {
      return switch (type) {
        case "box" -> (value instanceof PGbox box ? box : new PGbox(value.toString())).getValue();
        case "circle" ->
            (value instanceof PGcircle c ? c : new PGcircle(value.toString())).getValue();
        case "line" -> (value instanceof PGline l ? l : new PGline(value.toString())).getValue();
        case "lseg" -> (value instanceof PGlseg l ? l : new PGlseg(value.toString())).getValue();
        case "path" -> (value instanceof PGpath p ? p : new PGpath(value.toString())).getValue();
        case "polygon" ->
            (value instanceof PGpolygon p ? p : new PGpolygon(value.toString())).getValue();
        default -> value instanceof PGobject object ? object.getValue() : value.toString();
      };
    } catch (SQLException unreadable) {
      throw new DataException("Cannot read the " + type + " value " + value, unreadable);
    }
  }
}
