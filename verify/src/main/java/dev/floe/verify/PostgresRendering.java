package dev.floe.verify;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.iceberg.StructLike;

/**
 * How a value of one Postgres type is compared with the Iceberg value the sink wrote for it
 * (docs/type-mapping.md): a SQL expression Postgres renders the column with, a normalisation of
 * that text, and a rendering of the Iceberg value that says the same thing the same way: epoch
 * microseconds for times and timestamps (Postgres' infinities as Debezium's sentinels), epoch days
 * for dates, a decimal without trailing zeros, a JSON document re-serialised, an ISO interval by
 * its parts, bytes in hex. TypesIT compares every mapped type by these renderings, so {@code floe
 * verify} compares every type exactly.
 *
 * @param sql a format with {@code %1$s} for the quoted column (the session uses {@code
 *     intervalstyle = iso_8601})
 */
public record PostgresRendering(
    String sql, Function<String, String> postgres, Function<Object, String> iceberg) {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String TIMESTAMP_MICROS =
      "case when %1$s is null then null when isfinite(%1$s) then ((extract(epoch from %1$s) *"
          + " 1000000)::bigint)::text when %1$s > 'epoch' then '9223372036825200000' else"
          + " '-9223372036832400000' end";

  private static final PostgresRendering AS_TEXT =
      new PostgresRendering("%1$s", Function.identity(), String::valueOf);

  /** The rendering of a column of {@code type}, as DDL or {@code format_type} spells it. */
  public static PostgresRendering of(String type) {
    String t = type.toLowerCase(Locale.ROOT).trim();
    if (t.endsWith("[]")) {
      return new PostgresRendering(
          "'[' || array_to_string(%1$s, '|', 'NULL') || ']'",
          Function.identity(), PostgresRendering::list);
    }
    if (t.equals("bit") || t.equals("bit(1)")) { // Debezium's boolean
      return new PostgresRendering("(%1$s = B'1')::text", Function.identity(), String::valueOf);
    }
    String base = t.replaceAll("\\(.*?\\)", "").replaceAll("\\s+", " ").trim();
    return switch (base) {
      case "smallint", "integer", "int", "bigint", "boolean" ->
          new PostgresRendering("%1$s::text", Function.identity(), String::valueOf);
      case "real" ->
          new PostgresRendering(
              "%1$s::text", text -> String.valueOf(Float.valueOf(text)), String::valueOf);
      case "double precision" ->
          new PostgresRendering(
              "%1$s::text", text -> String.valueOf(Double.valueOf(text)), String::valueOf);
      case "numeric", "decimal" ->
          new PostgresRendering("%1$s::text", PostgresRendering::plain, PostgresRendering::plain);
      case "money" ->
          new PostgresRendering(
              "%1$s::numeric::text", PostgresRendering::plain, PostgresRendering::plain);
      case "bytea" ->
          new PostgresRendering("encode(%1$s, 'hex')", Function.identity(), PostgresRendering::hex);
      case "json", "jsonb" ->
          new PostgresRendering("%1$s::text", PostgresRendering::json, PostgresRendering::json);
      case "hstore" ->
          new PostgresRendering(
              "hstore_to_json(%1$s)::text", PostgresRendering::json, PostgresRendering::json);
      case "date" ->
          new PostgresRendering(
              "case when %1$s is null then null when isfinite(%1$s) then (%1$s - date"
                  + " '1970-01-01')::text when %1$s > 'epoch' then '2147483647' else"
                  + " '-2147483648' end",
              Function.identity(), v -> String.valueOf(((LocalDate) v).toEpochDay()));
      case "time", "time without time zone" ->
          new PostgresRendering(
              "((extract(epoch from %1$s) * 1000000)::bigint)::text",
              Function.identity(), v -> String.valueOf(((LocalTime) v).toNanoOfDay() / 1000));
      case "timetz", "time with time zone" ->
          new PostgresRendering(
              "((extract(epoch from (%1$s at time zone 'UTC')::time) * 1000000)::bigint)::text",
              Function.identity(),
              v ->
                  String.valueOf(
                      OffsetTime.parse(String.valueOf(v))
                              .withOffsetSameInstant(ZoneOffset.UTC)
                              .toLocalTime()
                              .toNanoOfDay()
                          / 1000));
      case "timestamp", "timestamp without time zone" ->
          new PostgresRendering(
              TIMESTAMP_MICROS,
              Function.identity(),
              v -> micros(((LocalDateTime) v).toInstant(ZoneOffset.UTC)));
      case "timestamptz", "timestamp with time zone" ->
          new PostgresRendering(
              TIMESTAMP_MICROS, Function.identity(), v -> micros(((OffsetDateTime) v).toInstant()));
      case "interval" ->
          new PostgresRendering(
              "%1$s::text", PostgresRendering::interval, PostgresRendering::interval);
      case "point" ->
          new PostgresRendering(
              "%1$s[0]::text || ',' || %1$s[1]::text",
              Function.identity(),
              v -> {
                StructLike point = (StructLike) v;
                return num(point.get(0, Object.class)) + "," + num(point.get(1, Object.class));
              });
      case "uuid",
          "xml",
          "macaddr",
          "macaddr8",
          "int4range",
          "int8range",
          "numrange",
          "tsrange",
          "tstzrange",
          "daterange" ->
          new PostgresRendering("%1$s::text", Function.identity(), String::valueOf);
      default -> AS_TEXT; // text, varchar, char (padded as Postgres keeps it), inet, cidr, enums
    };
  }

  static String plain(Object decimal) {
    String text = String.valueOf(decimal);
    BigDecimal value;
    try {
      value = decimal instanceof BigDecimal d ? d : new BigDecimal(text);
    } catch (NumberFormatException special) {
      return text; // NaN and infinities of an unconstrained numeric, kept as text
    }
    return value.signum() == 0 ? "0" : value.stripTrailingZeros().toPlainString();
  }

  private static String num(Object number) {
    double d = ((Number) number).doubleValue();
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
  }

  private static String hex(Object bytes) {
    ByteBuffer buffer = ((ByteBuffer) bytes).duplicate();
    byte[] out = new byte[buffer.remaining()];
    buffer.get(out);
    return HexFormat.of().formatHex(out);
  }

  private static String json(Object text) {
    try {
      return String.valueOf(JSON.readTree(String.valueOf(text)));
    } catch (Exception e) {
      return "not json: " + text;
    }
  }

  private static String list(Object value) {
    List<String> items = new ArrayList<>();
    ((List<?>) value).forEach(item -> items.add(item == null ? "NULL" : String.valueOf(item)));
    return "[" + String.join("|", items) + "]";
  }

  private static final Pattern ISO_INTERVAL =
      Pattern.compile(
          "P(?:(-?\\d+)Y)?(?:(-?\\d+)M)?(?:(-?\\d+)D)?(?:T(?:(-?\\d+)H)?(?:(-?\\d+)M)?(?:(-?[\\d.]+)S)?)?");

  /** ISO-8601 intervals by their parts, written with or without zero parts ("P-3DT-1S"). */
  private static String interval(Object text) {
    Matcher m = ISO_INTERVAL.matcher(String.valueOf(text));
    if (!m.matches()) {
      return "not an interval: " + text;
    }
    List<String> parts = new ArrayList<>();
    for (int i = 1; i <= 6; i++) {
      parts.add(m.group(i) == null ? "0" : plain(new BigDecimal(m.group(i))));
    }
    return String.join(",", parts);
  }

  private static String micros(Instant instant) {
    return String.valueOf(instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000);
  }
}
