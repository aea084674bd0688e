package dev.floe.source.convert;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Keeps a column's explicit NULL a NULL through any converter: a struct of a change event that
 * holds a NULL in a nullable field with a DEFAULT is copied into a {@link NullKeepingStruct}, which
 * never answers a null with the default, and so are the structs holding it. Every other struct
 * passes as it is: the fields to look at are kept per schema (Debezium reuses one schema object per
 * table version), so an event costs a lookup per struct and a read per such field. Copying every
 * event whose schema merely could hide a NULL cost the snapshot a sixth of the source task's time
 * (each Debezium event has one: the source block's {@code snapshot} field).
 */
public final class ExplicitNulls {
  private static final int MAX_SCHEMAS = 4096; // table versions; forgotten all at once past this

  /** Where a NULL could read as a default in a struct of one schema. */
  private record Shape(List<Field> withDefault, List<Field> nested) {
    static final Shape NONE = new Shape(List.of(), List.of());
  }

  private final Map<Schema, Shape> shapes = new IdentityHashMap<>();

  /** {@code record}, or a copy whose structs read NULLs as NULL where a default would hide one. */
  public SourceRecord keep(SourceRecord record) {
    Object key = record.key() instanceof Struct struct ? kept(struct) : record.key();
    Object value = record.value() instanceof Struct struct ? kept(struct) : record.value();
    if (key == record.key() && value == record.value()) {
      return record;
    }
    return record.newRecord(
        record.topic(),
        record.kafkaPartition(),
        record.keySchema(),
        key,
        record.valueSchema(),
        value,
        record.timestamp(),
        record.headers());
  }

  /** {@code struct} itself unless a NULL in it, at any depth, would read as a default. */
  private Struct kept(Struct struct) {
    Shape shape = shapeOf(struct.schema());
    if (shape == Shape.NONE) {
      return struct;
    }
    boolean copy = false;
    for (Field field : shape.withDefault) {
      copy |= struct.getWithoutDefault(field.name()) == null;
    }
    Map<Field, Struct> replaced = null;
    for (Field field : shape.nested) {
      if (struct.getWithoutDefault(field.name()) instanceof Struct nested) {
        Struct keptNested = kept(nested);
        if (keptNested != nested) {
          replaced = replaced == null ? new IdentityHashMap<>() : replaced;
          replaced.put(field, keptNested);
        }
      }
    }
    if (!copy && replaced == null) {
      return struct;
    }
    Struct copied = new NullKeepingStruct(struct.schema());
    for (Field field : struct.schema().fields()) {
      Object nested = replaced == null ? null : replaced.get(field);
      copied.put(field, nested != null ? nested : struct.getWithoutDefault(field.name()));
    }
    return copied;
  }

  private Shape shapeOf(Schema schema) {
    Shape known = shapes.get(schema);
    if (known == null) {
      if (shapes.size() >= MAX_SCHEMAS) {
        shapes.clear();
      }
      known = shapeFor(schema);
      shapes.put(schema, known);
    }
    return known;
  }

  private Shape shapeFor(Schema schema) {
    List<Field> withDefault = new ArrayList<>();
    List<Field> nested = new ArrayList<>();
    for (Field field : schema.fields()) {
      Schema fieldSchema = field.schema();
      if (fieldSchema.isOptional() && fieldSchema.defaultValue() != null) {
        withDefault.add(field);
      }
      if (fieldSchema.type() == Schema.Type.STRUCT && shapeOf(fieldSchema) != Shape.NONE) {
        nested.add(field);
      }
    }
    return withDefault.isEmpty() && nested.isEmpty()
        ? Shape.NONE
        : new Shape(List.copyOf(withDefault), List.copyOf(nested));
  }
}
