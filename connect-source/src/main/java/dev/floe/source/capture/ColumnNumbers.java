package dev.floe.source.capture;

import dev.floe.source.config.SourceDatabase;
import io.debezium.connector.postgresql.PostgresConnectorConfig;
import io.debezium.connector.postgresql.connection.PostgresConnection;
import io.debezium.relational.Tables;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Labels each change event with the Postgres column numbers ({@code pg_attribute.attnum}) of its
 * row's fields, in the header {@value #HEADER}: {@code #16384:1,2,4}, the table's {@code
 * pg_class.oid} (a table dropped and created again under its name gets a new one), then one number
 * per field of the envelope's {@code after}/{@code before} schema, in order, {@code 0} where
 * unknown (the {@code #} keeps Connect's default header converter from reading the text as a
 * number: it reads {@code 1,2,4} as the byte 1). The WAL names columns but does not number them, so
 * without this a sink cannot tell a renamed column from a dropped one and a new one, nor a column
 * dropped and added again under its name from the same column: a column's number survives a rename
 * and is never given to another column of the table.
 *
 * <p>The numbers are worked out once per row schema (Debezium makes a new one whenever Postgres
 * describes a table again, as it does after DDL on it), from the catalog as it is then, which may
 * be ahead of the shape: {@link ColumnAlignment} maps the fields onto it. When no mapping fits (the
 * table was dropped and created again, say), every field gets {@code 0} and the sink goes by names,
 * as without the header.
 */
public final class ColumnNumbers implements AutoCloseable {
  public static final String HEADER = "floe.attnums";

  private static final Logger LOG = LoggerFactory.getLogger(ColumnNumbers.class);
  private static final int MAX_SCHEMAS = 4096; // table versions; forgotten all at once past this
  private static final long RETRY_AFTER_MS = 10_000;
  // every column number the table ever gave, dropped ones too (they keep theirs); generated
  // columns never reach a change event
  private static final String NUMBERS =
      "select a.attnum, case when a.attisdropped then null else a.attname end,"
          + " coalesce(t.typcategory, ' '), c.oid, a.xmin::text::bigint from pg_attribute a"
          + " join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace"
          + " left join pg_type t on t.oid = a.atttypid"
          + " where n.nspname = ? and c.relname = ? and a.attnum > 0 and a.attgenerated = ''"
          + " order by a.attnum";

  private final Map<String, String> config;
  private final Tables.ColumnNameFilter captured;
  private final Map<Schema, String> byRowSchema = new IdentityHashMap<>();
  private PostgresConnection connection;
  private long failedAtMs = -RETRY_AFTER_MS;

  public ColumnNumbers(Map<String, String> config) {
    this.config = config;
    this.captured =
        new PostgresConnectorConfig(io.debezium.config.Configuration.from(config))
            .getColumnFilter();
  }

  /** Adds the header to {@code record} when it is a change event of a table the catalog lists. */
  public void label(SourceRecord record) {
    if (!(record.value() instanceof Struct value)) {
      return; // a tombstone
    }
    Field after = value.schema().field("after");
    Field source = value.schema().field("source");
    if (after == null || source == null || after.schema().type() != Schema.Type.STRUCT) {
      return; // not a change event: a heartbeat, a transaction marker
    }
    Schema row = after.schema();
    String numbers = byRowSchema.get(row);
    if (numbers == null) {
      numbers = read(value.getStruct("source"), row);
      if (numbers == null) {
        return; // the catalog could not be read: the sink goes by names
      }
      if (byRowSchema.size() >= MAX_SCHEMAS) {
        byRowSchema.clear();
      }
      byRowSchema.put(row, numbers);
    }
    if (!numbers.isEmpty()) {
      record.headers().addString(HEADER, numbers);
    }
  }

  /** The header's value for rows of {@code row}; empty when no field is known; null on failure. */
  private String read(Struct source, Schema row) {
    if (System.currentTimeMillis() - failedAtMs < RETRY_AFTER_MS) {
      return null;
    }
    List<ColumnAlignment.Attribute> attributes = new ArrayList<>();
    long relation = 0;
    Long txId = source.schema().field("txId") == null ? null : source.getInt64("txId");
    boolean createdSince = txId != null; // every column's catalog row newer than the change
    try {
      if (connection == null) {
        connection = SourceDatabase.connect(config, "floe-column-numbers");
      }
      try (PreparedStatement st = connection.connection().prepareStatement(NUMBERS)) {
        st.setString(1, source.getString("schema"));
        st.setString(2, source.getString("table"));
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            String category = rs.getString(3);
            String name = rs.getString(2);
            relation = rs.getLong(4);
            createdSince &= txId != null && newer(rs.getLong(5), txId);
            if (name != null
                && !captured.matches(
                    null, source.getString("schema"), source.getString("table"), name)) {
              continue; // left out of every change by the connector's column lists
            }
            attributes.add(
                new ColumnAlignment.Attribute(
                    rs.getInt(1), rs.getString(2), category.isEmpty() ? ' ' : category.charAt(0)));
          }
        }
      }
    } catch (SQLException | RuntimeException e) {
      failedAtMs = System.currentTimeMillis();
      LOG.warn(
          "Could not read the column numbers of {}.{}; its changes go without them for now, and"
              + " a column renamed meanwhile reaches the sink as a new column: {}",
          source.get("schema"),
          source.get("table"),
          e.getMessage());
      close();
      return null;
    }
    if (createdSince && !attributes.isEmpty()) {
      // the table of this name was created after the change was made: the change is of a table
      // dropped since, whose numbers are gone; the sink goes by names
      return "";
    }
    StringJoiner numbers = new StringJoiner(",");
    boolean anyKnown = false;
    for (int number : ColumnAlignment.align(row.fields(), attributes)) {
      anyKnown |= number > 0;
      numbers.add(Integer.toString(number));
    }
    return anyKnown ? "#" + relation + ":" + numbers : "";
  }

  /**
   * Whether transaction id {@code xmin} (a catalog row's) is newer than {@code txId}, both 32-bit
   * and compared as Postgres does, around the wrap; a frozen row (ids below 3) is older than all.
   */
  static boolean newer(long xmin, long txId) {
    return xmin >= 3 && (int) (xmin - txId) > 0;
  }

  @Override
  public void close() {
    if (connection != null) {
      connection.close();
      connection = null;
    }
  }
}
