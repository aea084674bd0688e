package dev.floe.verify;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * One text per value, the same for a Postgres value read through JDBC and the Iceberg value the
 * sink wrote for it (docs/type-mapping.md): values are rendered by meaning (an instant for a
 * timestamptz, a plain decimal for a numeric, hex for bytes), so comparing the texts compares
 * content, not formatting.
 */
public final class CanonicalValues {
  private CanonicalValues() {}

  /**
   * Column {@code i} of the current row, of Postgres type {@code type} (its name in the catalog).
   */
  public static String ofPostgres(ResultSet rs, int i, String type) throws SQLException {
    if (rs.getObject(i) == null) {
      return null;
    }
    switch (type) {
      case "timestamptz":
        return rs.getObject(i, OffsetDateTime.class).toInstant().toString();
      case "timestamp":
        return rs.getObject(i, LocalDateTime.class).toString();
      case "date":
        return rs.getObject(i, LocalDate.class).toString();
      case "bytea":
        return HexFormat.of().formatHex(rs.getBytes(i));
      default:
        break;
    }
    Object value = rs.getObject(i);
    if (value instanceof Array array) {
      return Arrays.asList((Object[]) array.getArray()).toString();
    }
    return of(value);
  }

  /** A value as Iceberg's generic reader returns it (or a plain Java value). */
  public static String of(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof BigDecimal decimal) {
      return decimal.toPlainString();
    }
    if (value instanceof OffsetDateTime odt) {
      return odt.toInstant().toString();
    }
    if (value instanceof ByteBuffer buffer) {
      byte[] bytes = new byte[buffer.remaining()];
      buffer.duplicate().get(bytes);
      return HexFormat.of().formatHex(bytes);
    }
    if (value instanceof List<?> list) {
      List<String> items = new ArrayList<>();
      list.forEach(item -> items.add(of(item)));
      return items.toString();
    }
    return value.toString();
  }
}
