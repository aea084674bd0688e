package dev.floe.source.convert;

import java.util.IdentityHashMap;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Keeps a column's explicit NULL a NULL through any converter: each change event whose rows have a
 * nullable column with a DEFAULT gets its structs copied into {@link NullKeepingStruct}s, which
 * never answer a null with the default. Events of tables without such a column pass unchanged: the
 * answer is kept per schema (Debezium reuses one schema object per table version), so the check
 * costs a lookup per event.
 */
public final class ExplicitNulls {
  private static final int MAX_SCHEMAS = 4096; // table versions; forgotten all at once past this

  private final Map<Schema, Boolean> needsCopy = new IdentityHashMap<>();

  /** {@code record}, or a copy whose structs read NULLs as NULL where a default could hide one. */
  public SourceRecord keep(SourceRecord record) {
    boolean key = needsCopy(record.keySchema());
    boolean value = needsCopy(record.valueSchema());
    if (!key && !value) {
      return record;
    }
    return record.newRecord(
        record.topic(),
        record.kafkaPartition(),
        record.keySchema(),
        key ? copy((Struct) record.key()) : record.key(),
        record.valueSchema(),
        value ? copy((Struct) record.value()) : record.value(),
        record.timestamp(),
        record.headers());
  }

  private boolean needsCopy(Schema schema) {
    if (schema == null || schema.type() != Schema.Type.STRUCT) {
      return false;
    }
    Boolean known = needsCopy.get(schema);
    if (known == null) {
      if (needsCopy.size() >= MAX_SCHEMAS) {
        needsCopy.clear();
      }
      known = hasHidingDefault(schema);
      needsCopy.put(schema, known);
    }
    return known;
  }

  /** Whether a null in {@code schema}'s fields, at any depth, could read as a default. */
  private static boolean hasHidingDefault(Schema schema) {
    for (Field field : schema.fields()) {
      Schema fieldSchema = field.schema();
      if (fieldSchema.isOptional() && fieldSchema.defaultValue() != null) {
        return true;
      }
      if (fieldSchema.type() == Schema.Type.STRUCT && hasHidingDefault(fieldSchema)) {
        return true;
      }
    }
    return false;
  }

  private static Struct copy(Struct struct) {
    if (struct == null) {
      return null;
    }
    Struct copy = new NullKeepingStruct(struct.schema());
    for (Field field : struct.schema().fields()) {
      Object value = struct.getWithoutDefault(field.name());
      copy.put(field, value instanceof Struct nested ? copy(nested) : value);
    }
    return copy;
  }
}
