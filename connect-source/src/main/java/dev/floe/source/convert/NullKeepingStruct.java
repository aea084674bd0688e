package dev.floe.source.convert;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * A row whose NULLs read as NULL. Connect's {@link Struct#get(Field)} answers a null with the
 * field's default, and Apicurio Registry's AvroConverter serializes rows through it (its switch to
 * read without defaults, {@code ignore.default.for.nullables}, is not wired in 2.6). Debezium puts
 * each column's DEFAULT in its field's schema, so a column explicitly set to NULL would reach the
 * topic holding the DEFAULT: invented data. Floe's source hands converters rows of this class
 * instead ({@link ExplicitNulls}). Converters that put the default in themselves have a setting for
 * it, which both connectors require ({@code NullValuesCheck}).
 */
final class NullKeepingStruct extends Struct {

  NullKeepingStruct(Schema schema) {
    super(schema);
  }

  @Override
  public Object get(Field field) {
    return getWithoutDefault(field.name());
  }
}
