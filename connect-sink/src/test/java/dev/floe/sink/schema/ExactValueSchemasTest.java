package dev.floe.sink.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.floe.common.debezium.ExactValueSchemas;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Set;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

/** The sink's side of the topic contract Floe's source writes with {@link ExactValueSchemas}. */
class ExactValueSchemasTest {
  private static final org.apache.kafka.connect.data.Schema ROW =
      SchemaBuilder.struct()
          .field("id", org.apache.kafka.connect.data.Schema.INT32_SCHEMA)
          .field("r", SchemaBuilder.string().name(ExactValueSchemas.FLOAT32).optional().build())
          .field("d", SchemaBuilder.string().name(ExactValueSchemas.FLOAT64).optional().build())
          .field(
              "n",
              SchemaBuilder.string()
                  .name(ExactValueSchemas.DECIMAL)
                  .parameter(ExactValueSchemas.PRECISION, "10")
                  .parameter(ExactValueSchemas.SCALE, "2")
                  .optional()
                  .build())
          .field("free", SchemaBuilder.string().name(ExactValueSchemas.DECIMAL).optional().build())
          .field("day", SchemaBuilder.int32().name("io.debezium.time.Date").optional().build())
          .field("plain", org.apache.kafka.connect.data.Schema.OPTIONAL_FLOAT64_SCHEMA)
          .build();

  private static final Schema TABLE = TypeMapping.toIcebergSchema(ROW, Set.of("id"));

  @Test
  void namedTextSchemasMapToTheIcebergTypesOfTheirPostgresTypes() {
    assertEquals(Types.FloatType.get(), TABLE.findField("r").type());
    assertEquals(Types.DoubleType.get(), TABLE.findField("d").type());
    assertEquals(Types.DecimalType.of(10, 2), TABLE.findField("n").type());
    assertEquals(Types.StringType.get(), TABLE.findField("free").type()); // exact, by default
    assertEquals(Types.DateType.get(), TABLE.findField("day").type());
  }

  @Test
  void floatsArriveBitForBit() {
    for (String text : new String[] {"NaN", "Infinity", "-Infinity", "-0.0", "0.0", "1.0E-300"}) {
      Record record = convert(new Struct(ROW).put("id", 1).put("r", text).put("d", text));
      assertEquals(
          Float.floatToRawIntBits(Float.parseFloat(text)),
          Float.floatToRawIntBits((Float) record.getField("r")),
          text);
      assertEquals(
          Double.doubleToRawLongBits(Double.parseDouble(text)),
          Double.doubleToRawLongBits((Double) record.getField("d")),
          text);
    }
  }

  @Test
  void topicsWrittenWithoutTheConverterStillConvert() {
    Record record = convert(new Struct(ROW).put("id", 1).put("plain", 2.5));
    assertEquals(2.5, record.getField("plain"));
  }

  @Test
  void decimalsAreExactAtTheirScale() {
    Record record = convert(new Struct(ROW).put("id", 1).put("n", "-12.50").put("free", "0.125"));
    assertEquals(new BigDecimal("-12.50"), record.getField("n"));
    assertEquals("0.125", record.getField("free"));
  }

  @Test
  void numericNanAndInfinitiesAreRefusedNamingTheColumn() {
    for (String text : new String[] {"NaN", "Infinity", "-Infinity"}) {
      DataException refused =
          assertThrows(
              DataException.class, () -> convert(new Struct(ROW).put("id", 1).put("n", text)));
      assertTrue(refused.getMessage().contains("'n'"), refused.getMessage());
      assertTrue(refused.getMessage().contains(text), refused.getMessage());
    }
  }

  @Test
  void dateInfinitiesAndBcDatesArriveAsTheirDayNumbers() {
    assertEquals(
        LocalDate.ofEpochDay(Integer.MAX_VALUE),
        convert(new Struct(ROW).put("id", 1).put("day", ExactValueSchemas.DATE_POSITIVE_INFINITY))
            .getField("day"));
    assertEquals(
        LocalDate.ofEpochDay(Integer.MIN_VALUE),
        convert(new Struct(ROW).put("id", 1).put("day", ExactValueSchemas.DATE_NEGATIVE_INFINITY))
            .getField("day"));
    int idesOfMarch = (int) LocalDate.of(-43, 3, 15).toEpochDay(); // 44 BC
    assertEquals(
        LocalDate.of(-43, 3, 15),
        convert(new Struct(ROW).put("id", 1).put("day", idesOfMarch)).getField("day"));
    assertNull(convert(new Struct(ROW).put("id", 1)).getField("r"));
  }

  private static Record convert(Struct row) {
    return new RowConverter(TABLE).toRecord(row);
  }
}
