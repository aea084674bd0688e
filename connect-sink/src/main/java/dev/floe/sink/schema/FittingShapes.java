package dev.floe.sink.schema;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.connect.data.Schema;

/**
 * The row shapes known to fit a writer's schema, so that a change of a known shape costs a lookup,
 * not a plan: a Connect schema by identity (its {@code equals} walks it whole), with the column
 * numbers its rows carry. Least recently used first, so it stays bounded however many schema
 * objects converters make as their own caches turn over.
 */
final class FittingShapes {
  /**
   * How many shapes are remembered: as many as Connect's JSON converter keeps schemas by default
   * ({@code schemas.cache.size}). Past that a converter makes a new schema object for each record
   * anyway, so remembering more would only keep garbage alive.
   */
  static final int REMEMBERED = 1_000;

  private record Shape(Schema schema, String numbers) {
    @Override
    public boolean equals(Object other) {
      return other instanceof Shape shape
          && shape.schema == schema
          && Objects.equals(shape.numbers, numbers);
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(schema) * 31 + Objects.hashCode(numbers);
    }
  }

  private final Map<Shape, Integer> fitsSchemaId =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Shape, Integer> eldest) {
          return size() > REMEMBERED;
        }
      };

  // the last shape that fit: most changes are of the shape before them, and each carries its
  // numbers as a new string, which a map would hash for every change
  private Schema lastSchema;
  private String lastNumbers;
  private int lastSchemaId = -1;

  /** Whether rows of {@code schema} carrying {@code numbers} are known to fit {@code schemaId}. */
  boolean fit(Schema schema, String numbers, int schemaId) {
    if (schema == lastSchema && schemaId == lastSchemaId && Objects.equals(numbers, lastNumbers)) {
      return true;
    }
    Integer fits = fitsSchemaId.get(new Shape(schema, numbers));
    if (fits == null || fits != schemaId) {
      return false;
    }
    last(schema, numbers, schemaId);
    return true;
  }

  void remember(Schema schema, String numbers, int schemaId) {
    fitsSchemaId.put(new Shape(schema, numbers), schemaId);
    last(schema, numbers, schemaId);
  }

  private void last(Schema schema, String numbers, int schemaId) {
    lastSchema = schema;
    lastNumbers = numbers;
    lastSchemaId = schemaId;
  }
}
