package dev.floe.common.debezium;

/**
 * The schemas Floe's source uses on the topic for Postgres values that Kafka's JSON converter or
 * Debezium's defaults would lose, shared by the source (which writes them) and the sink (which maps
 * them back). Each is a Connect STRING with a name, so any consumer can read the value as text.
 *
 * <ul>
 *   <li>{@link #FLOAT32}, {@link #FLOAT64}: {@code real}, {@code double precision} as Java's
 *       shortest exact text ({@code "1.5"}, {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"},
 *       {@code "-0.0"}), which {@code Float.parseFloat} / {@code Double.parseDouble} read back bit
 *       for bit.
 *   <li>{@link #DECIMAL}: {@code numeric} as plain decimal text ({@code "-12.50"}), or {@code
 *       "NaN"}, {@code "Infinity"}, {@code "-Infinity"}; parameters {@link #PRECISION} and {@link
 *       #SCALE} when the column declares them.
 * </ul>
 *
 * <p>Dates stay Debezium's {@code io.debezium.time.Date} (INT32 days since 1970-01-01), with the
 * era right and {@code infinity} / {@code -infinity} as {@link #DATE_POSITIVE_INFINITY} / {@link
 * #DATE_NEGATIVE_INFINITY}.
 */
public final class ExactValueSchemas {
  public static final String FLOAT32 = "dev.floe.Float32";
  public static final String FLOAT64 = "dev.floe.Float64";
  public static final String DECIMAL = "dev.floe.Decimal";

  /** Parameter of {@link #DECIMAL}: the declared precision, as Connect's Decimal spells it. */
  public static final String PRECISION = "connect.decimal.precision";

  /** Parameter of {@link #DECIMAL}: the declared scale, as Connect's Decimal spells it. */
  public static final String SCALE = "scale";

  /**
   * Postgres {@code date 'infinity'}: the largest day number an INT32 date (Connect's and
   * Iceberg's) holds, 5881580-07-11. It lies beyond Postgres's last date (5874897-12-31), so no
   * real date is ever mistaken for it.
   */
  public static final int DATE_POSITIVE_INFINITY = Integer.MAX_VALUE;

  /**
   * Postgres {@code date '-infinity'}: the smallest INT32 day number, before Postgres's first date
   * (4714-11-24 BC).
   */
  public static final int DATE_NEGATIVE_INFINITY = Integer.MIN_VALUE;

  private ExactValueSchemas() {}
}
