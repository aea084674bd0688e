package dev.floe.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Bucket digests: the same rows in any order agree; one changed row shows in one bucket. */
class RowDigestTest {
  @Test
  void theSameRowsInAnotherOrderDigestAlike() {
    List<Map<String, String>> rows = rows(10_000);
    RowDigest first = digest(rows);
    Collections.shuffle(rows, new Random(3));
    assertEquals(List.of(), first.differingBuckets(digest(rows)));
  }

  @Test
  void aChangedMissingOrExtraRowShowsInItsKeysBucketOnly() {
    List<Map<String, String>> rows = rows(10_000);
    RowDigest expected = digest(rows);
    List<Map<String, String>> changed = new ArrayList<>(rows);
    Map<String, String> row = new LinkedHashMap<>(changed.get(42));
    row.put("name", "changed");
    changed.set(42, row);
    assertEquals(
        List.of(RowDigest.bucketOf("42", 1024)), expected.differingBuckets(digest(changed)));

    List<Map<String, String>> missing = new ArrayList<>(rows);
    missing.remove(7);
    assertEquals(
        List.of(RowDigest.bucketOf("7", 1024)), expected.differingBuckets(digest(missing)));
  }

  private static RowDigest digest(List<Map<String, String>> rows) {
    RowDigest digest = new RowDigest(1024);
    rows.forEach(row -> digest.add(row.get("id"), row));
    return digest;
  }

  private static List<Map<String, String>> rows(int n) {
    List<Map<String, String>> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Map<String, String> row = new LinkedHashMap<>();
      row.put("id", String.valueOf(i));
      row.put("name", "row " + i);
      rows.add(row);
    }
    return rows;
  }
}
