package dev.floe.source.slot;

import io.debezium.connector.postgresql.connection.PostgresConnection;
import java.sql.SQLException;

/**
 * What {@code pg_replication_slots} says of one slot of the captured database at one moment. {@code
 * retainedBytes} is the WAL the slot keeps on disk (behind its restart_lsn), {@code lagBytes} what
 * it has not confirmed yet (behind its confirmed_flush_lsn); -1 when Postgres reports none.
 */
record SlotStatus(
    boolean exists,
    boolean active,
    long retainedBytes,
    long lagBytes,
    String confirmedFlushLsn,
    String walStatus) {

  static final SlotStatus MISSING = new SlotStatus(false, false, -1, -1, null, null);

  private static final String QUERY =
      "SELECT active,"
          + " coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint, -1),"
          + " coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint, -1),"
          // wal_status is Postgres 13's (12 keeps a slot's WAL whatever its size: never lost)
          + " confirmed_flush_lsn::text, to_jsonb(s) ->> 'wal_status'"
          + " FROM pg_replication_slots s WHERE slot_name = ? AND database = current_database()";

  static SlotStatus read(PostgresConnection connection, String slotName) throws SQLException {
    return connection.prepareQueryAndMap(
        QUERY,
        statement -> statement.setString(1, slotName),
        rs ->
            rs.next()
                ? new SlotStatus(
                    true,
                    rs.getBoolean(1),
                    rs.getLong(2),
                    rs.getLong(3),
                    rs.getString(4),
                    rs.getString(5))
                : MISSING);
  }

  /** True when Postgres has already removed WAL the slot needed: the slot cannot stream again. */
  boolean lost() {
    return "lost".equals(walStatus);
  }
}
