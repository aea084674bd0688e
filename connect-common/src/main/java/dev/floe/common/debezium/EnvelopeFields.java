package dev.floe.common.debezium;

/**
 * Field names of Debezium's change-event envelope and of its {@code source} block, shared by the
 * source (which produces them) and the sink (which reads them), so neither spells them on its own.
 */
public final class EnvelopeFields {
  public static final String OP = "op";
  public static final String BEFORE = "before";
  public static final String AFTER = "after";
  public static final String SOURCE = "source";

  public static final String SOURCE_SCHEMA = "schema";
  public static final String SOURCE_TABLE = "table";
  public static final String SOURCE_LSN = "lsn";
  public static final String SOURCE_TS_MS = "ts_ms";

  /**
   * The placeholder Debezium writes for an unchanged TOASTed column without REPLICA IDENTITY FULL.
   */
  public static final String UNAVAILABLE_VALUE = "__debezium_unavailable_value";

  private EnvelopeFields() {}
}
