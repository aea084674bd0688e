package dev.floe.avro;

import io.apicurio.registry.resolver.DefaultSchemaResolver;
import io.apicurio.registry.resolver.SchemaLookupResult;
import io.apicurio.registry.resolver.data.Record;
import io.apicurio.registry.serde.data.KafkaSerdeMetadata;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;

/**
 * Apicurio's schema resolver, remembering what it resolved per topic and Avro schema. Apicurio 2.6
 * writes a record's whole schema out as JSON text for every record it serializes, to find the
 * schema in its cache by content; for Debezium's envelopes that was more than half of the source
 * task's work (docs/benchmarks.md). Kafka Connect's Avro conversion hands over the same schema
 * object for every record of a table shape, so the answer for it is looked up by that object (its
 * hash cached, its equality by identity first) and resolved by Apicurio only the first time. An id,
 * once the registry gave it to a schema's content, does not change, so remembering it is safe; a
 * new shape (after DDL) is a new schema, resolved and registered as before.
 *
 * <p>Set {@code
 * value.converter.apicurio.registry.schema-resolver=dev.floe.avro.CachedSchemaResolver} (and the
 * same for the key converter) with this jar in the converter's plugin folder.
 */
public class CachedSchemaResolver<T> extends DefaultSchemaResolver<Schema, T> {
  private static final int MAX_SHAPES = 1_000;

  private final Map<Shape, SchemaLookupResult<Schema>> resolved =
      Collections.synchronizedMap(
          new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Shape, SchemaLookupResult<Schema>> e) {
              return size() > MAX_SHAPES;
            }
          });

  /** One schema written to one topic's keys or values: what a registry subject is. */
  private record Shape(Schema schema, String topic, boolean isKey) {}

  @Override
  public SchemaLookupResult<Schema> resolveSchema(Record<T> data) {
    if (!(data.payload() instanceof GenericContainer container)
        || !(data.metadata() instanceof KafkaSerdeMetadata kafka)) {
      return super.resolveSchema(data); // a primitive, or not from Kafka: as Apicurio does
    }
    Shape shape = new Shape(container.getSchema(), kafka.getTopic(), kafka.isKey());
    SchemaLookupResult<Schema> found = resolved.get(shape);
    if (found == null) {
      found = super.resolveSchema(data);
      resolved.put(shape, found);
    }
    return found;
  }

  @Override
  public void reset() {
    if (resolved != null) { // null while Apicurio's constructor runs
      resolved.clear();
    }
    super.reset();
  }
}
