package dev.floe.source.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.debezium.relational.TableId;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class NewTableSnapshotsTest {
  @Test
  void theTaskSettingNamesEachTableAsDebeziumsSignalsDoWithTheTimeItWasAdded() {
    Map<TableId, Long> added = new TreeMap<>();
    added.put(new TableId("floe", "mig", "refunds"), 1000L);
    added.put(new TableId("floe", "mig", "Audit Log"), 2000L);
    assertEquals("mig.\"Audit Log\"@2000\nmig.refunds@1000", NewTableSnapshots.taskValue(added));
    assertNull(NewTableSnapshots.taskValue(Map.of()));
  }

  @Test
  void namesArePlainOnlyWhereDebeziumReadsThemSo() {
    assertEquals(
        "shop.orders", NewTableSnapshots.collectionName(new TableId(null, "shop", "orders")));
    assertEquals(
        "\"Shop\".\"say \"\"hi\"\"\"",
        NewTableSnapshots.collectionName(new TableId(null, "Shop", "say \"hi\"")));
  }
}
