package dev.floe.sink.schema;

import dev.floe.sink.event.ChangeEvent;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.types.Types.NestedField;

/**
 * The columns a soft-delete or changelog table carries besides the source's: what happened to the
 * row, where it happened in Postgres and where it was read in Kafka. They start with {@code _floe_}
 * so they cannot clash with a column Debezium sends.
 */
public final class ChangeMetadata {
  public static final String OP = "_floe_op";
  public static final String DELETED = "_floe_deleted";
  public static final String LSN = "_floe_lsn";
  public static final String COMMIT_TS = "_floe_commit_ts";
  public static final String KAFKA_PARTITION = "_floe_kafka_partition";
  public static final String KAFKA_OFFSET = "_floe_kafka_offset";

  /**
   * In any table whose columns may get values they cannot hold: column name to the exact text of
   * such a value, the column itself null ({@link UnrepresentableValues}).
   */
  public static final String UNREPRESENTABLE = "_floe_unrepresentable";

  private ChangeMetadata() {}

  /** Whether {@code column} is one of the sink's own, not the source's. */
  public static boolean isMetadata(String column) {
    return column.startsWith("_floe_");
  }

  /**
   * {@code schema} with the metadata columns added after the source's; with or without its
   * identifier fields (a changelog holds many rows per key, so its key identifies no row).
   */
  public static Schema withMetadata(Schema schema, boolean keepIdentifierFields) {
    List<NestedField> fields = new ArrayList<>(schema.columns());
    int id = schema.highestFieldId();
    fields.add(NestedField.optional(++id, OP, Types.StringType.get()));
    fields.add(NestedField.optional(++id, DELETED, Types.BooleanType.get()));
    fields.add(NestedField.optional(++id, LSN, Types.LongType.get()));
    fields.add(NestedField.optional(++id, COMMIT_TS, Types.TimestampType.withZone()));
    fields.add(NestedField.optional(++id, KAFKA_PARTITION, Types.IntegerType.get()));
    fields.add(NestedField.optional(++id, KAFKA_OFFSET, Types.LongType.get()));
    return keepIdentifierFields
        ? new Schema(fields, schema.identifierFieldIds())
        : new Schema(fields);
  }

  /** Sets the metadata columns {@code record}'s table has, from {@code event}. */
  public static Record fill(Record record, ChangeEvent event) {
    Types.StructType type = record.struct();
    set(record, type, OP, event.operation().code());
    set(record, type, DELETED, event.isDelete());
    set(record, type, LSN, event.position().lsn() < 0 ? null : event.position().lsn());
    long ts = event.position().commitTimeMs();
    set(
        record,
        type,
        COMMIT_TS,
        ts < 0 ? null : OffsetDateTime.ofInstant(Instant.ofEpochMilli(ts), ZoneOffset.UTC));
    set(record, type, KAFKA_PARTITION, event.coordinates().partition());
    set(record, type, KAFKA_OFFSET, event.coordinates().offset());
    return record;
  }

  private static void set(Record record, Types.StructType type, String column, Object value) {
    if (type.field(column) != null) {
      record.setField(column, value);
    }
  }
}
