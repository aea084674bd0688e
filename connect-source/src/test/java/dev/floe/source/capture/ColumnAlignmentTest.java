package dev.floe.source.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.floe.source.capture.ColumnAlignment.Attribute;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.junit.jupiter.api.Test;

/** A row shape's fields mapped onto the catalog's column numbers, which may be ahead of it. */
class ColumnAlignmentTest {
  /** Fields as name:type pairs, type i (int), t (text), b (boolean). */
  private static List<Field> shape(String... columns) {
    SchemaBuilder row = SchemaBuilder.struct();
    for (String column : columns) {
      String[] parts = column.split(":");
      row.field(
          parts[0],
          switch (parts[1]) {
            case "i" -> Schema.OPTIONAL_INT32_SCHEMA;
            case "b" -> Schema.OPTIONAL_BOOLEAN_SCHEMA;
            default -> Schema.OPTIONAL_STRING_SCHEMA;
          });
    }
    return row.build().fields();
  }

  /** Catalog entries as name:category, numbered from 1; "-" is a dropped column. */
  private static List<Attribute> catalog(String... columns) {
    List<Attribute> attributes = new ArrayList<>();
    for (int i = 0; i < columns.length; i++) {
      String[] parts = columns[i].split(":");
      attributes.add(
          parts[0].equals("-")
              ? new Attribute(i + 1, null, ' ')
              : new Attribute(i + 1, parts[0], parts[1].charAt(0)));
    }
    return attributes;
  }

  @Test
  void aShapeTheCatalogAgreesWithMapsByName() {
    assertArrayEquals(
        new int[] {1, 3, 4},
        ColumnAlignment.align(
            shape("id:i", "b:t", "c:t"), catalog("id:N", "-", "b:S", "c:S", "d:S")));
  }

  @Test
  void columnsRenamedOrDroppedSinceMapByTheirPlace() {
    // the shape has name and qty; since, name became full_name and qty was dropped
    assertArrayEquals(
        new int[] {1, 2, 3, 4},
        ColumnAlignment.align(
            shape("id:i", "name:t", "qty:i", "note:t"),
            catalog("id:N", "full_name:S", "-", "note:S")));
  }

  @Test
  void aColumnDroppedAndAddedAgainSinceIsTheOldNumber() {
    assertArrayEquals(
        new int[] {1, 2, 3},
        ColumnAlignment.align(shape("id:i", "a:t", "b:t"), catalog("id:N", "-", "b:S", "a:S")));
  }

  @Test
  void namesSwappedSinceFollowTheTypesAndPlaces() {
    // the shape (id, full_name, email, qty, note); since, qty was dropped and added again and
    // email and note swapped names: by name the fields would be out of order
    assertArrayEquals(
        new int[] {1, 2, 3, 4, 5},
        ColumnAlignment.align(
            shape("id:i", "full_name:t", "email:t", "qty:i", "note:t"),
            catalog("id:N", "full_name:S", "note:S", "-", "email:S", "qty:N")));
    assertArrayEquals(
        new int[] {1, 2, 3},
        ColumnAlignment.align(shape("id:i", "x:t", "y:t"), catalog("id:N", "y:S", "x:S")));
  }

  @Test
  void columnsAddedSinceAreSkipped() {
    assertArrayEquals(
        new int[] {1, 2},
        ColumnAlignment.align(shape("id:i", "c:t"), catalog("id:N", "c:S", "added:S", "-")));
    // a renamed since, and a new column took its name: the shape's a is the older column
    assertArrayEquals(
        new int[] {1, 2},
        ColumnAlignment.align(shape("id:i", "a:t"), catalog("id:N", "b:S", "a:S")));
  }

  @Test
  void noMappingThatFitsGivesNoNumbers() {
    // a table dropped and created again with other columns
    assertArrayEquals(
        new int[] {0, 0},
        ColumnAlignment.align(shape("id:i", "flag:b"), catalog("id:N", "name:S")));
  }

  @Test
  void typesRuleOutOnlyClearMismatches() {
    assertTrue(ColumnAlignment.fits(Schema.Type.STRING, 'N'), "an unconstrained numeric's text");
    assertTrue(ColumnAlignment.fits(Schema.Type.STRING, 'A'), "an array carried as its text");
    assertTrue(ColumnAlignment.fits(Schema.Type.BOOLEAN, 'V'), "bit(1)");
    assertFalse(ColumnAlignment.fits(Schema.Type.INT32, 'S'));
    assertFalse(ColumnAlignment.fits(Schema.Type.STRING, 'B'));
    assertFalse(ColumnAlignment.fits(Schema.Type.BOOLEAN, 'N'));
  }
}
