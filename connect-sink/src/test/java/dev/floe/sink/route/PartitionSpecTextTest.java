package dev.floe.sink.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

class PartitionSpecTextTest {
  private static final Schema SCHEMA =
      new Schema(
          Types.NestedField.required(1, "id", Types.LongType.get()),
          Types.NestedField.optional(2, "region", Types.StringType.get()),
          Types.NestedField.optional(3, "at", Types.TimestampType.withZone()));

  @Test
  void readsIcebergTransformsAsUsersWriteThem() {
    List<String> names =
        PartitionSpecText.parse("region, day(at), bucket(id, 16), truncate(region, 2)").stream()
            .map(Object::toString)
            .toList();
    assertEquals(4, names.size(), names.toString());
    PartitionSpec spec =
        PartitionSpec.builderFor(SCHEMA).identity("region").day("at").bucket("id", 16).build();
    assertEquals(3, spec.fields().size());
  }

  @Test
  void namesWhatItCannotRead() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> PartitionSpecText.parse("weekly(at)"));
    assertTrue(e.getMessage().contains("weekly"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> PartitionSpecText.parse("bucket(id)"));
    assertThrows(IllegalArgumentException.class, () -> PartitionSpecText.parse(" "));
  }
}
