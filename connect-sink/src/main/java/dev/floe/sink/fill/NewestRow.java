package dev.floe.sink.fill;

import dev.floe.sink.schema.ChangeMetadata;
import java.util.List;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.Record;

/**
 * Which of two rows of one key is newer. A changelog holds a row per change: all of one key's
 * changes come from one Kafka partition, in offset order; across partitions (a topic that was
 * repartitioned) the source commit time decides. Other tables hold one row per key.
 */
record NewestRow(boolean changelog) {
  static NewestRow of(Schema schema) {
    return new NewestRow(schema.findField(ChangeMetadata.KAFKA_OFFSET) != null);
  }

  List<String> columns() {
    return changelog
        ? List.of(
            ChangeMetadata.KAFKA_PARTITION, ChangeMetadata.KAFKA_OFFSET, ChangeMetadata.COMMIT_TS)
        : List.of();
  }

  Record newer(Record a, Record b) {
    if (!changelog) {
      return b;
    }
    Object partitionA = a.getField(ChangeMetadata.KAFKA_PARTITION);
    if (partitionA != null && partitionA.equals(b.getField(ChangeMetadata.KAFKA_PARTITION))) {
      return compare(a, b, ChangeMetadata.KAFKA_OFFSET) >= 0 ? a : b;
    }
    return compare(a, b, ChangeMetadata.COMMIT_TS) >= 0 ? a : b;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static int compare(Record a, Record b, String column) {
    Comparable x = (Comparable) a.getField(column);
    Comparable y = (Comparable) b.getField(column);
    return x == null ? (y == null ? 0 : -1) : y == null ? 1 : x.compareTo(y);
  }
}
