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
    added.put(new TableId("floe", "mig", "AuditLog"), 2000L);
    added.put(new TableId("floe", "mig", "Audit Log"), 3000L); // not one Debezium can snapshot
    assertEquals("mig.AuditLog@2000\nmig.refunds@1000", NewTableSnapshots.taskValue(added));
    assertNull(NewTableSnapshots.taskValue(Map.of()));
  }

  @Test
  void onlyNamesDebeziumReadsBackAreSignalled() {
    assertEquals(
        "Shop.Orders_2", NewTableSnapshots.collectionName(new TableId(null, "Shop", "Orders_2")));
    assertNull(NewTableSnapshots.collectionName(new TableId(null, "shop", "say \"hi\"")));
    assertNull(NewTableSnapshots.collectionName(new TableId(null, "shop", "a.b")));
  }
}
