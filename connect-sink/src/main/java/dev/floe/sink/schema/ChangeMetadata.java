package dev.floe.sink.schema;

import dev.floe.sink.event.ChangeEvent;
import java.time.LocalDateTime;
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
    return new Columns().fill(record, event);
  }

  /**
   * The metadata columns' positions in records of one row type, found once and kept while the
   * records are of that type: by name they were six lookups in the type and six in the record for
   * every change buffered. One per writer (not thread-safe).
   */
  public static final class Columns {
    private static final String[] NAMES = {
      OP, DELETED, LSN, COMMIT_TS, KAFKA_PARTITION, KAFKA_OFFSET
    };
    private Types.StructType type;
    private final int[] positions = new int[NAMES.length]; // -1: the table has no such column

    /** Sets the metadata columns {@code record}'s table has, from {@code event}. */
    public Record fill(Record record, ChangeEvent event) {
      if (record.struct() != type) {
        locate(record.struct());
      }
      set(record, 0, event.operation().code());
      set(record, 1, event.isDelete());
      set(record, 2, event.position().lsn() < 0 ? null : event.position().lsn());
      long ts = event.position().commitTimeMs();
      // from epoch seconds, not an Instant: OffsetDateTime.ofInstant builds the offset's zone
      // rules anew on every call
      set(
          record,
          3,
          ts < 0
              ? null
              : OffsetDateTime.of(
                  LocalDateTime.ofEpochSecond(
                      Math.floorDiv(ts, 1000L),
                      (int) Math.floorMod(ts, 1000L) * 1_000_000,
                      ZoneOffset.UTC),
                  ZoneOffset.UTC));
      set(record, 4, event.coordinates().partition());
      set(record, 5, event.coordinates().offset());
      return record;
    }

    private void locate(Types.StructType struct) {
      List<NestedField> fields = struct.fields();
      for (int i = 0; i < NAMES.length; i++) {
        positions[i] = -1;
        for (int at = 0; at < fields.size(); at++) {
          if (fields.get(at).name().equals(NAMES[i])) {
            positions[i] = at;
          }
        }
      }
      type = struct;
    }

    private void set(Record record, int column, Object value) {
      if (positions[column] >= 0) {
        record.set(positions[column], value);
      }
    }
  }
}
