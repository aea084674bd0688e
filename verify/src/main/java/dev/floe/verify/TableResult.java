package dev.floe.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What verifying one table found. */
final class TableResult {
  /**
   * One key whose rows differ: missing in Iceberg, extra in Iceberg, held by more than one Iceberg
   * row, or differing columns.
   */
  record RowDifference(String key, String kind, Map<String, List<String>> columns) {
    static final String MISSING = "missing in iceberg";
    static final String EXTRA = "extra in iceberg";
    static final String DUPLICATE = "more than one row in iceberg";
    static final String DIFFERENT = "different";
  }

  final String postgresTable;
  final String icebergTable;
  long postgresRows;
  long icebergRows;
  int differingBuckets;
  long icebergSnapshotId = -1;
  String icebergSourceLsn;
  String postgresLsn;
  int rechecks;
  final List<RowDifference> differences = new ArrayList<>();
  final List<String> problems = new ArrayList<>();

  TableResult(String postgresTable, String icebergTable) {
    this.postgresTable = postgresTable;
    this.icebergTable = icebergTable;
  }

  boolean equal() {
    return problems.isEmpty() && differences.isEmpty() && postgresRows == icebergRows;
  }
}
