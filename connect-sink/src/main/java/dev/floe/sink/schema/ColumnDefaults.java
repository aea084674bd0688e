package dev.floe.sink.schema;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.apache.iceberg.expressions.Literal;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.util.DateTimeUtil;
import org.apache.kafka.connect.data.Field;

/**
 * What rows that existed before a column was added hold in it: Postgres fills them with the
 * column's DEFAULT, which Debezium reads from the catalog and puts in the field's schema ({@code
 * defaultValue()}). A format v3 table can say so as the column's initial default, so those rows
 * read it in Iceberg too, without being rewritten.
 *
 * <p>A DEFAULT Debezium cannot evaluate (a function: {@code now()}, {@code CURRENT_DATE}, {@code
 * nextval(...)}, {@code gen_random_uuid()}) reaches the sink as a stand-in of the column's type,
 * not as what Postgres filled in: {@code 1970-01-01}/midnight for dates and times, the zero UUID, 0
 * for numbers, false, the empty string. The date, time and uuid stand-ins are no value anyone picks
 * as a default, so they are dropped (old rows read null, as without a default). A serial column is
 * recognized by its source type when the source sends it. A 0, false or '' cannot be told from the
 * literal, which is the common case, so it is taken: docs/type-mapping.md says which DEFAULTs that
 * misreads.
 */
final class ColumnDefaults {
  private static final String SOURCE_TYPE = "__debezium.source.column.type";
  private static final Set<String> SERIALS = Set.of("SERIAL", "BIGSERIAL", "SMALLSERIAL");
  private static final UUID ZERO_UUID = new UUID(0, 0);

  private ColumnDefaults() {}

  /** A column's initial default: the value as rows read it, and as Iceberg stores it. */
  record Initial(Object value, Literal<?> literal) {}

  /**
   * The initial default for {@code column}, added to the table as Iceberg {@code type}; null when
   * it has none, none that Iceberg can hold, or only Debezium's stand-in for a function.
   */
  static Initial of(Field column, Type type) {
    if (column.schema().defaultValue() == null || !type.isPrimitiveType() || serial(column)) {
      return null;
    }
    Object value;
    try {
      value = RowConverter.defaultOf(column, type);
    } catch (RuntimeException unreadable) {
      return null; // the column could not hold it (numeric NaN, say): rows keep null
    }
    Literal<?> literal = standIn(value) ? null : literal(value, type);
    return literal == null ? null : new Initial(value, literal);
  }

  private static boolean serial(Field column) {
    String sourceType =
        column.schema().parameters() == null ? null : column.schema().parameters().get(SOURCE_TYPE);
    return sourceType != null && SERIALS.contains(sourceType.toUpperCase(Locale.ROOT));
  }

  /** Debezium's stand-in for a date, time or uuid function: the epoch, midnight, zero. */
  private static boolean standIn(Object value) {
    return LocalDate.EPOCH.equals(value)
        || LocalTime.MIDNIGHT.equals(value)
        || LocalDateTime.of(LocalDate.EPOCH, LocalTime.MIDNIGHT).equals(value)
        || (value instanceof OffsetDateTime at && at.toEpochSecond() == 0 && at.getNano() == 0)
        || ZERO_UUID.equals(value);
  }

  /** {@code value}, as {@link RowConverter} makes it, as an Iceberg literal of {@code type}. */
  private static Literal<?> literal(Object value, Type type) {
    if (value instanceof Integer i) {
      return Literal.of(i);
    } else if (value instanceof Long l) {
      return Literal.of(l);
    } else if (value instanceof Float f) {
      return Literal.of(f);
    } else if (value instanceof Double d) {
      return Literal.of(d);
    } else if (value instanceof Boolean b) {
      return Literal.of(b);
    } else if (value instanceof CharSequence text) {
      return Literal.of(text);
    } else if (value instanceof BigDecimal decimal) {
      return Literal.of(decimal);
    } else if (value instanceof UUID uuid) {
      return Literal.of(uuid);
    } else if (value instanceof ByteBuffer bytes) {
      return Literal.of(bytes);
    } else if (value instanceof LocalDate date) {
      return Literal.of(DateTimeUtil.daysFromDate(date)).to(type);
    } else if (value instanceof LocalTime time) {
      return Literal.of(DateTimeUtil.microsFromTime(time)).to(type);
    } else if (value instanceof LocalDateTime timestamp) {
      return Literal.of(DateTimeUtil.microsFromTimestamp(timestamp)).to(type);
    } else if (value instanceof OffsetDateTime timestamp) {
      return Literal.of(DateTimeUtil.microsFromInstant(timestamp.toInstant())).to(type);
    }
    return null;
  }
}
