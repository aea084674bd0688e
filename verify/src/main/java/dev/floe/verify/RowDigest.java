package dev.floe.verify;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A table's rows folded into a fixed number of buckets by key: each bucket keeps its row count and
 * the sum of its rows' 64-bit hashes. The sum does not depend on the order rows are read in, and
 * the memory does not depend on the table's size; two tables with the same rows have the same
 * buckets, and a differing row shows in the one bucket its key falls in, so only that bucket's rows
 * need to be read again to find it.
 */
final class RowDigest {
  private static final HashFunction HASH = Hashing.murmur3_128(0x466c6f65);
  private final long[] sums;
  private final long[] counts;
  private long rows;

  RowDigest(int buckets) {
    this.sums = new long[buckets];
    this.counts = new long[buckets];
  }

  static int bucketOf(String key, int buckets) {
    return Math.floorMod(HASH.hashString(key, StandardCharsets.UTF_8).asInt(), buckets);
  }

  void add(String key, Map<String, String> row) {
    int bucket = bucketOf(key, sums.length);
    sums[bucket] += HASH.hashString(key + '\u0001' + row, StandardCharsets.UTF_8).asLong();
    counts[bucket]++;
    rows++;
  }

  long rows() {
    return rows;
  }

  /** The buckets in which the two digests differ. */
  List<Integer> differingBuckets(RowDigest other) {
    List<Integer> differing = new ArrayList<>();
    for (int b = 0; b < sums.length; b++) {
      if (sums[b] != other.sums[b] || counts[b] != other.counts[b]) {
        differing.add(b);
      }
    }
    return differing;
  }
}
