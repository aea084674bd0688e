package dev.floe.sink.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.Set;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

class TypeMappingTest {
  private static final org.apache.kafka.connect.data.Schema ROW =
      SchemaBuilder.struct()
          .field("id", org.apache.kafka.connect.data.Schema.INT64_SCHEMA)
          .field(
              "price",
              Decimal.builder(2).parameter("connect.decimal.precision", "10").optional().build())
          .field(
              "at_ms", SchemaBuilder.int64().name("io.debezium.time.Timestamp").optional().build())
          .field(
              "at_us",
              SchemaBuilder.int64().name("io.debezium.time.MicroTimestamp").optional().build())
          .field(
              "at_tz",
              SchemaBuilder.string().name("io.debezium.time.ZonedTimestamp").optional().build())
          .field(
              "tags",
              SchemaBuilder.array(org.apache.kafka.connect.data.Schema.OPTIONAL_STRING_SCHEMA)
                  .optional()
                  .build())
          .build();

  @Test
  void keyColumnsBecomeRequiredIdentifierFields() {
    Schema schema = TypeMapping.toIcebergSchema(ROW, Set.of("id"));
    assertTrue(schema.findField("id").isRequired());
    assertEquals(Set.of(schema.findField("id").fieldId()), schema.identifierFieldIds());
    assertEquals(Types.DecimalType.of(10, 2), schema.findField("price").type());
    assertEquals(Types.TimestampType.withoutZone(), schema.findField("at_ms").type());
    assertEquals(Types.TimestampType.withZone(), schema.findField("at_tz").type());
  }

  @Test
  void convertsValuesByTheirDebeziumSemanticType() {
    Schema schema = TypeMapping.toIcebergSchema(ROW, Set.of("id"));
    Struct row =
        new Struct(ROW)
            .put("id", 1L)
            .put("price", new BigDecimal("12.50"))
            .put("at_ms", 1_700_000_000_123L)
            .put("at_us", 1_700_000_000_123_456L)
            .put("at_tz", "2024-01-01T10:00:00.5+02:00")
            .put("tags", java.util.List.of("a", "b"));
    Record record = new RowConverter(schema).toRecord(row);
    assertEquals(LocalDateTime.parse("2023-11-14T22:13:20.123"), record.getField("at_ms"));
    assertEquals(LocalDateTime.parse("2023-11-14T22:13:20.123456"), record.getField("at_us"));
    assertEquals(OffsetDateTime.parse("2024-01-01T10:00:00.5+02:00"), record.getField("at_tz"));
    assertEquals(new BigDecimal("12.50"), record.getField("price"));
    assertEquals(java.util.List.of("a", "b"), record.getField("tags"));
  }

  @Test
  void mapsAndStructsMapFieldByField() {
    org.apache.kafka.connect.data.Schema row =
        SchemaBuilder.struct()
            .field("id", org.apache.kafka.connect.data.Schema.INT32_SCHEMA)
            .field(
                "attrs",
                SchemaBuilder.map(
                        org.apache.kafka.connect.data.Schema.STRING_SCHEMA,
                        org.apache.kafka.connect.data.Schema.OPTIONAL_STRING_SCHEMA)
                    .optional()
                    .build())
            .field(
                "point",
                SchemaBuilder.struct()
                    .name("io.debezium.data.geometry.Point")
                    .field("x", org.apache.kafka.connect.data.Schema.FLOAT64_SCHEMA)
                    .field("y", org.apache.kafka.connect.data.Schema.FLOAT64_SCHEMA)
                    .optional()
                    .build())
            .build();
    Schema schema = TypeMapping.toIcebergSchema(row, Set.of("id"));
    assertTrue(schema.findField("attrs").type().isMapType());
    assertEquals(Types.DoubleType.get(), schema.findType("point.x"));
    Struct value =
        new Struct(row)
            .put("id", 1)
            .put("attrs", java.util.Map.of("a", "1"))
            .put("point", new Struct(row.field("point").schema()).put("x", 1.5).put("y", -2.0));
    Record record = new RowConverter(schema).toRecord(value);
    assertEquals(java.util.Map.of("a", "1"), record.getField("attrs"));
    assertEquals(-2.0, ((Record) record.getField("point")).getField("y"));
  }

  @Test
  void aValueThatDoesNotFitIsRefusedNotRounded() {
    org.apache.kafka.connect.data.Schema row =
        SchemaBuilder.struct()
            .field("id", org.apache.kafka.connect.data.Schema.INT32_SCHEMA)
            .field("amount", Decimal.builder(2).parameter("connect.decimal.precision", "5").build())
            .build();
    Schema schema = TypeMapping.toIcebergSchema(row, Set.of("id"));
    Struct tooPrecise = new Struct(row).put("id", 1).put("amount", new BigDecimal("1.234"));
    DataException e =
        assertThrows(DataException.class, () -> new RowConverter(schema).toRecord(tooPrecise));
    assertTrue(e.getMessage().contains("amount"), e.getMessage());
  }

  @Test
  void aNumericNoIcebergDecimalHoldsIsRefusedNamingTheColumnAndTheFix() {
    for (String[] declared : new String[][] {{"39", "2"}, {"2", "5"}, {"10", "-2"}}) {
      org.apache.kafka.connect.data.Schema row =
          SchemaBuilder.struct()
              .field("id", org.apache.kafka.connect.data.Schema.INT32_SCHEMA)
              .field(
                  "amount",
                  Decimal.builder(Integer.parseInt(declared[1]))
                      .parameter("connect.decimal.precision", declared[0])
                      .optional()
                      .build())
              .build();
      DataException refused =
          assertThrows(DataException.class, () -> TypeMapping.toIcebergSchema(row, Set.of("id")));
      assertTrue(
          refused
              .getMessage()
              .startsWith(
                  "Column 'amount' is numeric(" + declared[0] + ", " + declared[1] + "), which"),
          refused.getMessage());
      assertTrue(refused.getMessage().contains("Declare it numeric(38, "), refused.getMessage());
    }
  }

  @Test
  void aKeyIcebergCannotMatchOnIsRefusedNamingTheKey() {
    org.apache.kafka.connect.data.Schema row =
        SchemaBuilder.struct()
            .name("t.public.readings.Value")
            .field("at", org.apache.kafka.connect.data.Schema.FLOAT64_SCHEMA)
            .build();
    DataException refused =
        assertThrows(DataException.class, () -> TypeMapping.toIcebergSchema(row, Set.of("at")));
    assertTrue(
        refused
            .getMessage()
            .startsWith(
                "Iceberg cannot make a table of the columns of"
                    + " t.public.readings.Value keyed by [at]: "),
        refused.getMessage());
  }
}
