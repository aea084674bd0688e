package dev.floe.sink.fill;

import dev.floe.sink.schema.UnavailableValues;

/**
 * How the sink fills values Postgres did not send.
 *
 * @param placeholder the forms of the source connector's {@code unavailable.value.placeholder}
 * @param keyChangeTimeoutMs how long the new row of a primary-key change waits for the old key's
 *     last state to be committed by the task that owns the old key's partition
 * @param cacheMaxBytes the memory kept for values this task committed ({@link CommittedRowCache})
 */
public record FillSettings(
    UnavailableValues placeholder, long keyChangeTimeoutMs, long cacheMaxBytes) {
  public static final FillSettings DEFAULT =
      new FillSettings(UnavailableValues.DEFAULT, 60_000, 64L * 1024 * 1024);
}
