package dev.floe.source.preflight;

/**
 * What the preflight needs to know of one table in the database, read from the catalog in one query
 * by {@link DatabaseTables}.
 *
 * @param replicaIdentity pg_class.relreplident: d(efault), n(othing), f(ull) or i(ndex)
 * @param toastableColumns the columns Postgres may store out of line (attstorage other than plain),
 *     each as {@code name:type} (pg_type's name, {@code _int4} for an int array), comma-separated,
 *     or null when there are none
 * @param hasUniqueIndex a unique index, which Debezium takes as the key of a table without a
 *     primary key
 * @param unsupportedColumns the columns Debezium cannot carry ({@link UnsupportedTypesCheck}), each
 *     as {@code name:type}, comma-separated, or null when there are none
 */
record CapturedTable(
    String schema,
    String name,
    boolean partitioned,
    char replicaIdentity,
    boolean hasPrimaryKey,
    boolean canSelect,
    boolean owned,
    String toastableColumns,
    boolean hasUniqueIndex,
    String unsupportedColumns) {

  /** {@code schema.table}, each part double-quoted only when Postgres would need it. */
  String sqlName() {
    return quote(schema) + "." + quote(name);
  }

  /** The schema's name as SQL needs it. */
  String sqlSchema() {
    return quote(schema);
  }

  /** Whether Postgres sends enough of an updated or deleted row to find it again. */
  boolean identifiesRows() {
    return replicaIdentity == 'f'
        || replicaIdentity == 'i'
        || (replicaIdentity == 'd' && hasPrimaryKey);
  }

  private static String quote(String identifier) {
    return identifier.matches("[a-z_][a-z0-9_$]*")
        ? identifier
        : '"' + identifier.replace("\"", "\"\"") + '"';
  }
}
