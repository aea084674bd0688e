package dev.floe.sink.write;

import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;

/** A table's rows read with Iceberg's own reader, as sorted {@code a|b|c} lines of some columns. */
public final class TableRows {
  private TableRows() {}

  public static List<String> of(Table table, String... columns) throws Exception {
    table.refresh();
    List<String> rows = new ArrayList<>();
    try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
      for (Record r : records) {
        List<String> values = new ArrayList<>();
        for (String column : columns) {
          values.add(String.valueOf(r.getField(column)));
        }
        rows.add(String.join("|", values));
      }
    }
    rows.sort(null);
    return rows;
  }
}
