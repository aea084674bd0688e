package dev.floe.source.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.floe.common.debezium.ExactValueSchemas;
import dev.floe.source.config.SourceDefaults;
import io.debezium.connector.postgresql.PostgresValueConverter;
import io.debezium.connector.postgresql.connection.DateTimeFormat;
import io.debezium.data.SpecialValueDecimal;
import io.debezium.spi.converter.RelationalColumn;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.Set;
import java.util.TimeZone;
import org.apache.kafka.connect.data.ConnectSchema;
import org.apache.kafka.connect.data.Schema;
import org.junit.jupiter.api.Test;
import org.postgresql.jdbc.TimestampUtils;

/**
 * Each encoding is fed what Debezium hands a converter on each path: on the snapshot what pgjdbc
 * returns from the result set, on the WAL what Debezium decodes from pgoutput's text.
 */
class SpecialValuesConverterTest {
  /** pgjdbc's own text-to-date conversion, as the snapshot's result set applies it. */
  private static final TimestampUtils DRIVER = new TimestampUtils(false, TimeZone::getDefault);

  @Test
  void floatsKeepNanInfinitiesAndNegativeZeroOnBothPaths() {
    for (String text : new String[] {"NaN", "Infinity", "-Infinity", "-0", "1.5", "-3.4e38"}) {
      float real = Float.parseFloat(text); // both paths hand a Float: JDBC's, or pgoutput's parsed
      String encoded = FloatText.real(real);
      assertEquals(
          Float.floatToRawIntBits(real), Float.floatToRawIntBits(Float.parseFloat(encoded)));
      double dbl = Double.parseDouble(text);
      String encodedDouble = FloatText.doublePrecision(dbl);
      assertEquals(
          Double.doubleToRawLongBits(dbl),
          Double.doubleToRawLongBits(Double.parseDouble(encodedDouble)));
    }
    assertEquals("NaN", FloatText.doublePrecision(Double.NaN));
    assertEquals("-0.0", FloatText.real(-0.0f));
    assertEquals("-Infinity", FloatText.doublePrecision("-Infinity"));
    assertEquals("1.0E-300", FloatText.doublePrecision(1e-300));
  }

  @Test
  void snapshotDatesKeepTheirEraAndInfinities() throws SQLException {
    assertEquals(
        LocalDate.of(-43, 3, 15).toEpochDay(), EpochDays.of(DRIVER.toDate(null, "0044-03-15 BC")));
    assertEquals(
        LocalDate.of(-4713, 11, 24).toEpochDay(),
        EpochDays.of(DRIVER.toDate(null, "4714-11-24 BC")));
    assertEquals(
        LocalDate.of(2024, 2, 29).toEpochDay(), EpochDays.of(DRIVER.toDate(null, "2024-02-29")));
    assertEquals(
        LocalDate.of(1, 1, 1).toEpochDay(), EpochDays.of(DRIVER.toDate(null, "0001-01-01")));
    assertEquals(
        ExactValueSchemas.DATE_POSITIVE_INFINITY, EpochDays.of(DRIVER.toDate(null, "infinity")));
    assertEquals(
        ExactValueSchemas.DATE_NEGATIVE_INFINITY, EpochDays.of(DRIVER.toDate(null, "-infinity")));
  }

  @Test
  void streamedDatesKeepTheirEraAndInfinities() {
    DateTimeFormat pgoutput = DateTimeFormat.get();
    assertEquals(
        LocalDate.of(-43, 3, 15).toEpochDay(), EpochDays.of(pgoutput.date("0044-03-15 BC")));
    assertEquals(
        LocalDate.of(5874897, 12, 31).toEpochDay(), EpochDays.of(pgoutput.date("5874897-12-31")));
    assertEquals(ExactValueSchemas.DATE_POSITIVE_INFINITY, EpochDays.of(pgoutput.date("infinity")));
    assertEquals(
        ExactValueSchemas.DATE_NEGATIVE_INFINITY, EpochDays.of(pgoutput.date("-infinity")));
    // Postgres's own text, as a column default may come
    assertEquals(LocalDate.of(-43, 3, 15).toEpochDay(), EpochDays.of("0044-03-15 BC"));
    assertEquals(ExactValueSchemas.DATE_POSITIVE_INFINITY, EpochDays.of("infinity"));
  }

  @Test
  void numericsAsTextAtTheirScaleWithSpecialValuesNamed() {
    // both paths hand Debezium's SpecialValueDecimal, built from Postgres's text
    assertEquals("NaN", DecimalText.of(special("NaN"), OptionalInt.of(2)));
    assertEquals("Infinity", DecimalText.of(special("Infinity"), OptionalInt.empty()));
    assertEquals("-Infinity", DecimalText.of(special("-Infinity"), OptionalInt.empty()));
    assertEquals(
        "12.50",
        DecimalText.of(new SpecialValueDecimal(new BigDecimal("12.5")), OptionalInt.of(2)));
    assertEquals(
        "0.000000000000000001",
        DecimalText.of(
            new SpecialValueDecimal(new BigDecimal("0.000000000000000001")), OptionalInt.of(0)));
    assertEquals("-1E+3", new BigDecimal("-1E+3").toString()); // and not written like this:
    assertEquals("-1000", DecimalText.of(new BigDecimal("-1E+3"), OptionalInt.empty()));
  }

  @Test
  void registersOnlyTheTypesItCarriesWithTheirNamedSchemas() {
    Map<String, Schema> schemas = new HashMap<>();
    SpecialValuesConverter converter = new SpecialValuesConverter();
    converter.configure(new Properties());
    for (String type :
        new String[] {
          "float4",
          "float8",
          "date",
          "numeric",
          "_float4",
          "_float8",
          "_date",
          "int4",
          "money",
          "_numeric"
        }) {
      converter.converterFor(
          column(type, OptionalInt.of(10), OptionalInt.of(3)),
          (schema, conversion) -> {
            schemas.put(type, schema.build());
            assertNull(conversion.convert(null));
          });
    }
    assertEquals(ExactValueSchemas.FLOAT32, schemas.get("float4").name());
    assertEquals(ExactValueSchemas.FLOAT64, schemas.get("float8").name());
    assertEquals(io.debezium.time.Date.SCHEMA_NAME, schemas.get("date").name());
    assertEquals(Schema.Type.INT32, schemas.get("date").type());
    assertTrue(schemas.get("date").isOptional());
    assertEquals(ExactValueSchemas.DECIMAL, schemas.get("numeric").name());
    assertEquals(
        Map.of(ExactValueSchemas.PRECISION, "10", ExactValueSchemas.SCALE, "3"),
        schemas.get("numeric").parameters());
    assertEquals(Schema.Type.ARRAY, schemas.get("_float8").type());
    assertEquals(ExactValueSchemas.FLOAT64, schemas.get("_float8").valueSchema().name());
    assertEquals(io.debezium.time.Date.SCHEMA_NAME, schemas.get("_date").valueSchema().name());
    assertEquals(ExactValueSchemas.DECIMAL, schemas.get("_numeric").valueSchema().name());
    assertEquals(
        Map.of(ExactValueSchemas.PRECISION, "10", ExactValueSchemas.SCALE, "3"),
        schemas.get("_numeric").valueSchema().parameters());
    assertEquals(8, schemas.size(), "int4 and money keep Debezium's conversion");
  }

  @Test
  void arraysEncodeEachElementAndKeepNulls() throws SQLException {
    // both paths hand pgjdbc's java.sql.Array; its elements are what the driver parses
    java.sql.Array doubles = driverArray(new Double[] {Double.NaN, null, -0.0, 1.5});
    assertEquals(
        Arrays.asList("NaN", null, "-0.0", "1.5"),
        ArrayValues.each(doubles, FloatText::doublePrecision));
    java.sql.Array dates =
        driverArray(
            new java.sql.Date[] {
              DRIVER.toDate(null, "0044-03-15 BC"), DRIVER.toDate(null, "infinity")
            });
    assertEquals(
        List.of(
            (int) LocalDate.of(-43, 3, 15).toEpochDay(), ExactValueSchemas.DATE_POSITIVE_INFINITY),
        ArrayValues.each(dates, EpochDays::of));
  }

  @Test
  void numericArraysAreReadFromTheirTextWhichTheDriverCannotParseWithNaN() {
    java.sql.Array numerics = textArray("{1.5,NaN,NULL,-Infinity,0.000000000000000001,\"-7\"}");
    assertEquals(
        Arrays.asList("1.500", "NaN", null, "-Infinity", "0.000000000000000001", "-7.000"),
        ArrayValues.eachOfText(numerics, n -> DecimalText.of(n, OptionalInt.of(3))));
    assertEquals(List.of(), ArrayValues.eachOfText(textArray("{}"), n -> n));
    // a two-dimensional array has no one-dimensional encoding: refused, not flattened
    org.junit.jupiter.api.Assertions.assertThrows(
        org.apache.kafka.connect.errors.DataException.class,
        () -> ArrayValues.eachOfText(textArray("{{1,2},{3,4}}"), n -> n));
  }

  private static java.sql.Array textArray(String literal) {
    return (java.sql.Array)
        Proxy.newProxyInstance(
            SpecialValuesConverterTest.class.getClassLoader(),
            new Class<?>[] {java.sql.Array.class},
            (proxy, method, args) -> {
              if (method.getName().equals("toString")) {
                return literal; // pgjdbc's PgArray writes the array as Postgres does
              }
              throw new UnsupportedOperationException(method.getName());
            });
  }

  @Test
  void aDomainIsConvertedAsItsBaseType() {
    SpecialValuesConverter converter = new SpecialValuesConverter();
    Properties props = new Properties();
    props.setProperty(SpecialValuesConverter.DOMAINS, "amount=numeric,_amount=_numeric,day=date");
    converter.configure(props);
    Map<String, Schema> schemas = new HashMap<>();
    for (String type : new String[] {"amount", "\"shop\".\"amount\"", "_amount", "day", "other"}) {
      converter.converterFor(
          column(type, OptionalInt.of(12), OptionalInt.of(2)),
          (schema, conversion) -> schemas.put(type, schema.build()));
    }
    assertEquals(ExactValueSchemas.DECIMAL, schemas.get("amount").name());
    assertEquals(ExactValueSchemas.DECIMAL, schemas.get("\"shop\".\"amount\"").name());
    assertEquals(ExactValueSchemas.DECIMAL, schemas.get("_amount").valueSchema().name());
    assertEquals(io.debezium.time.Date.SCHEMA_NAME, schemas.get("day").name());
    assertFalse(
        schemas.containsKey("other"), "a type it does not know keeps Debezium's conversion");
  }

  @Test
  void unconstrainedNumericCarriesNoPrecision() {
    Schema schema = DecimalText.schema(OptionalInt.of(131089), OptionalInt.of(0)).build();
    assertNull(schema.parameters());
  }

  @Test
  void floesSourceDefaultsRegisterTheConverter() {
    Map<String, String> config = SourceDefaults.apply(Map.of());
    assertEquals("floe", config.get("converters"));
    assertEquals(SpecialValuesConverter.class.getName(), config.get("floe.type"));
    // an empty value turns it off (Debezium itself refuses an empty converters list)
    assertFalse(SourceDefaults.apply(Map.of("converters", "")).containsKey("converters"));
  }

  private static java.sql.Array driverArray(Object[] elements) {
    return (java.sql.Array)
        Proxy.newProxyInstance(
            SpecialValuesConverterTest.class.getClassLoader(),
            new Class<?>[] {java.sql.Array.class},
            (proxy, method, args) -> {
              if (method.getName().equals("getArray") && args == null) {
                return elements;
              }
              throw new UnsupportedOperationException(method.getName());
            });
  }

  private static SpecialValueDecimal special(String text) {
    return PostgresValueConverter.toSpecialValue(text).orElseThrow();
  }

  @Test
  void notNullColumnsAreOptionalOnTheTopicForKeyOnlyBeforeImages() {
    // a delete without REPLICA IDENTITY FULL sends only the key: the other columns arrive as null
    SpecialValuesConverter converter = new SpecialValuesConverter();
    for (String type : new String[] {"float4", "float8", "date", "numeric"}) {
      converter.converterFor(
          column(type, OptionalInt.of(10), OptionalInt.of(2), false),
          (schema, conversion) -> {
            Schema built = schema.build();
            assertTrue(built.isOptional(), type);
            ConnectSchema.validateValue(built, conversion.convert(null)); // Connect takes the null
          });
    }
  }

  @Test
  void unchangedToastedValuesBecomeThePlaceholderInTheFormTheSinkRecognizes() {
    // Debezium hands the converter its internal marker for a value Postgres did not send
    Object marker =
        io.debezium.connector.postgresql.UnchangedToastedReplicationMessageColumn
            .UNCHANGED_TOAST_VALUE;
    Map<String, Object> converted = new HashMap<>();
    SpecialValuesConverter converter = new SpecialValuesConverter();
    Properties props = new Properties();
    props.setProperty(SpecialValuesConverter.PLACEHOLDER, "__toast__");
    converter.configure(props);
    for (String type : new String[] {"numeric", "_float4", "_float8", "_date", "_numeric"}) {
      converter.converterFor(
          column(type, OptionalInt.empty(), OptionalInt.empty(), false),
          (schema, conversion) -> {
            Object value = conversion.convert(marker);
            ConnectSchema.validateValue(schema.build(), value);
            converted.put(type, value);
          });
    }
    assertEquals("__toast__", converted.get("numeric"));
    assertEquals(List.of("__toast__"), converted.get("_float4"));
    assertEquals(List.of("__toast__"), converted.get("_float8"));
    assertEquals(List.of("__toast__"), converted.get("_numeric"));
    assertEquals(List.of(95, 95, 116, 111, 97, 115, 116, 95, 95), converted.get("_date"));
  }

  /**
   * Types Debezium has no conversion for: a composite (named by the connector with the base
   * record), a geometric type (the driver's object on the snapshot, Postgres's text on the WAL: one
   * writing), arrays of money, and the placeholder when unchanged.
   */
  @Test
  void typesDebeziumCannotConvertAreCarriedAsTheirText() throws SQLException {
    SpecialValuesConverter converter = new SpecialValuesConverter();
    Properties props = new Properties();
    props.setProperty(SpecialValuesConverter.DOMAINS, "addr=record,_addr=_record");
    converter.configure(props);
    Map<String, org.apache.kafka.connect.data.SchemaBuilder> schemas = new HashMap<>();
    Map<String, io.debezium.spi.converter.CustomConverter.Converter> conversions = new HashMap<>();
    for (String type : new String[] {"addr", "_addr", "box", "_money", "tsquery", "int4"}) {
      converter.converterFor(
          column(type, OptionalInt.empty(), OptionalInt.empty()),
          (schema, conversion) -> {
            schemas.put(type, schema);
            conversions.put(type, conversion);
          });
    }
    assertNull(schemas.get("int4"), "a type Debezium converts keeps its conversion");
    org.postgresql.util.PGobject composite = new org.postgresql.util.PGobject();
    composite.setType("addr");
    composite.setValue("(\"Main St, 1\",12345)");
    assertEquals("(\"Main St, 1\",12345)", conversions.get("addr").convert(composite));
    assertEquals(
        Arrays.asList("(A,1)", null),
        conversions.get("_addr").convert(textArray("{\"(A,1)\",NULL}")));
    assertEquals(
        "(1.5,1.0),(0.0,0.0)",
        conversions.get("box").convert(new org.postgresql.geometric.PGbox(1.5, 1, 0, 0)));
    assertEquals("(1.5,1.0),(0.0,0.0)", conversions.get("box").convert("(1.5,1),(0,0)"));
    assertEquals(
        List.of("$1.50", "$1,234.50"),
        conversions.get("_money").convert(textArray("{$1.50,\"$1,234.50\"}")));
    assertEquals("'fat' & 'cat'", conversions.get("tsquery").convert("'fat' & 'cat'"));
    Object marker =
        io.debezium.connector.postgresql.UnchangedToastedReplicationMessageColumn
            .UNCHANGED_TOAST_VALUE;
    assertEquals(UnchangedValues.DEBEZIUM_DEFAULT, conversions.get("addr").convert(marker));
    assertEquals(
        List.of(UnchangedValues.DEBEZIUM_DEFAULT), conversions.get("_money").convert(marker));
    ConnectSchema.validateValue(
        schemas.get("_addr").build(), conversions.get("_addr").convert(textArray("{}")));
  }

  @Test
  void arraysDeclaredWithSeveralDimensionsAreCarriedAsTheirText() {
    SpecialValuesConverter converter = new SpecialValuesConverter();
    Properties props = new Properties();
    // public.t.c as the connector hands it (URL-encoded), and a table whose name has a comma
    props.setProperty(SpecialValuesConverter.MULTIDIMENSIONAL, "public.t.c,shop.a%2Cb.grid");
    converter.configure(props);
    Map<String, org.apache.kafka.connect.data.SchemaBuilder> schemas = new HashMap<>();
    Map<String, io.debezium.spi.converter.CustomConverter.Converter> conversions = new HashMap<>();
    for (String type : new String[] {"_int4", "_numeric", "_float8"}) {
      converter.converterFor(
          column(type, OptionalInt.empty(), OptionalInt.empty()),
          (schema, conversion) -> {
            schemas.put(type, schema);
            conversions.put(type, conversion);
          });
    }
    for (String type : schemas.keySet()) {
      assertEquals(Schema.Type.STRING, schemas.get(type).type(), type);
    }
    assertEquals(3, schemas.size(), "int[][] too, which Debezium converts when one-dimensional");
    assertEquals(
        "{{1.5,NaN},{NULL,\"-7\"}}",
        conversions.get("_numeric").convert(textArray("{{1.5,NaN},{NULL,\"-7\"}}")));
    // Postgres does not hold the column to its declared shape: any value is its text
    assertEquals("{1,2}", conversions.get("_int4").convert(textArray("{1,2}")));
    assertEquals(
        "[0:1]={{{1}},{{2}}}", conversions.get("_int4").convert(textArray("[0:1]={{{1}},{{2}}}")));
    Object marker =
        io.debezium.connector.postgresql.UnchangedToastedReplicationMessageColumn
            .UNCHANGED_TOAST_VALUE;
    assertEquals(UnchangedValues.DEBEZIUM_DEFAULT, conversions.get("_float8").convert(marker));
    assertEquals(
        Set.of("public.t.c", "shop.a,b.grid"),
        dev.floe.source.config.MultiDimensionalArrays.parse("public.t.c,shop.a%2Cb.grid"));
  }

  @Test
  void bitStringsKeepTheirLengthAndLeadingZerosAsText() throws SQLException {
    SpecialValuesConverter converter = new SpecialValuesConverter();
    converter.configure(new Properties());
    Map<String, io.debezium.spi.converter.CustomConverter.Converter> conversions = new HashMap<>();
    Map<String, org.apache.kafka.connect.data.SchemaBuilder> schemas = new HashMap<>();
    Map<String, OptionalInt> lengths =
        Map.of("bit", OptionalInt.of(5), "varbit", OptionalInt.empty(), "_bit", OptionalInt.of(3));
    lengths.forEach(
        (type, length) ->
            converter.converterFor(
                column(type, length, OptionalInt.empty()),
                (schema, conversion) -> {
                  schemas.put(type, schema);
                  conversions.put(type, conversion);
                }));
    converter.converterFor(
        column("bit", OptionalInt.of(1), OptionalInt.empty()),
        (schema, conversion) -> schemas.put("bit(1)", schema));
    assertNull(schemas.get("bit(1)"), "bit(1) keeps Debezium's exact boolean");
    assertEquals(Schema.Type.STRING, schemas.get("bit").type());
    org.postgresql.util.PGobject snapshot = new org.postgresql.util.PGobject();
    snapshot.setType("bit");
    snapshot.setValue("00101");
    assertEquals("00101", conversions.get("bit").convert(snapshot));
    assertEquals("00101", conversions.get("bit").convert("00101")); // the WAL's text
    assertEquals("", conversions.get("varbit").convert(""));
    assertEquals(List.of("101", "010"), conversions.get("_bit").convert(textArray("{101,010}")));
  }

  @Test
  void timetzArraysKeepTheirFractionsAndArraysDebeziumLeftOutArriveAsText() {
    SpecialValuesConverter converter = new SpecialValuesConverter();
    converter.configure(new Properties());
    Map<String, io.debezium.spi.converter.CustomConverter.Converter> conversions = new HashMap<>();
    for (String type : new String[] {"_timetz", "_point", "_xml", "_box", "_name"}) {
      converter.converterFor(
          column(type, OptionalInt.empty(), OptionalInt.empty()),
          (schema, conversion) -> conversions.put(type, conversion));
    }
    assertEquals(
        Arrays.asList("08:15:30.5Z", "10:59:59Z", null),
        conversions.get("_timetz").convert(textArray("{10:15:30.5+02,23:59:59-11,NULL}")));
    assertEquals(
        List.of("(1,2)", "(3.5,-4)"),
        conversions.get("_point").convert(textArray("{\"(1,2)\",\"(3.5,-4)\"}")));
    assertEquals(List.of("<a/>"), conversions.get("_xml").convert(textArray("{<a/>}")));
    assertEquals(
        List.of("(1,1),(0,0)", "(3,3),(2,2)"),
        conversions.get("_box").convert(textArray("{(1,1),(0,0);(3,3),(2,2)}")));
    assertEquals(
        List.of("abc", "d e"), conversions.get("_name").convert(textArray("{abc,\"d e\"}")));
  }

  @Test
  void floesDefaultsPassTheConnectorsPlaceholderToTheConverter() {
    Map<String, String> config =
        SourceDefaults.apply(Map.of("unavailable.value.placeholder", "hex:DEADBEEF"));
    assertEquals("hex:DEADBEEF", config.get("floe.unavailable.value.placeholder"));
    assertNull(SourceDefaults.apply(Map.of()).get("floe.unavailable.value.placeholder"));
  }

  private static RelationalColumn column(String type, OptionalInt length, OptionalInt scale) {
    return column(type, length, scale, true);
  }

  private static RelationalColumn column(
      String type, OptionalInt length, OptionalInt scale, boolean optional) {
    return new RelationalColumn() {
      @Override
      public String name() {
        return "c";
      }

      @Override
      public String dataCollection() {
        return "public.t";
      }

      @Override
      public int jdbcType() {
        return 0;
      }

      @Override
      public int nativeType() {
        return 0;
      }

      @Override
      public String typeName() {
        return type;
      }

      @Override
      public String typeExpression() {
        return type;
      }

      @Override
      public OptionalInt length() {
        return length;
      }

      @Override
      public OptionalInt scale() {
        return scale;
      }

      @Override
      public boolean isOptional() {
        return optional;
      }

      @Override
      public Object defaultValue() {
        return null;
      }

      @Override
      public boolean hasDefaultValue() {
        return false;
      }
    };
  }
}
