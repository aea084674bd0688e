package dev.floe.bench;

/** One sink on its own table, a flush at a time. */
interface MixSide extends AutoCloseable {
  /** Makes the next flush's records, outside the timing. */
  void prepare();

  /** Hands in the flush's records but the last one. */
  void buffer();

  /** Hands in the last one, which flushes and commits. */
  void flush();

  void check(long handedIn);

  @Override
  void close() throws java.io.IOException;
}
