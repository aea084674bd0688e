package dev.floe.source.capture;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Catalog rows newer than a change: a table created after the change was made. */
class ColumnNumbersTest {
  @Test
  void transactionIdsCompareAroundTheWrapAndFrozenRowsAreOldest() {
    assertTrue(ColumnNumbers.newer(1_000, 999));
    assertFalse(ColumnNumbers.newer(999, 1_000));
    assertFalse(ColumnNumbers.newer(1_000, 1_000));
    // past the wrap: 5 came after 4,294,967,000
    assertTrue(ColumnNumbers.newer(5, 4_294_967_000L));
    assertFalse(ColumnNumbers.newer(4_294_967_000L, 5));
    assertFalse(ColumnNumbers.newer(2, 1_000), "frozen");
  }
}
