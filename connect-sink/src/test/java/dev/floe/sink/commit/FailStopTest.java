package dev.floe.sink.commit;

import static dev.floe.sink.event.ChangeEvents.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.floe.sink.route.TableProvisioner;
import dev.floe.sink.route.TableRouter;
import dev.floe.sink.write.TableRows;
import dev.floe.sink.write.TableWriters;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A failed commit discards the buffer, whose changes Kafka does not deliver again to the same task:
 * from then on nothing of that task may apply or commit, or a later commit would record offsets
 * past the lost changes and a restart would skip them.
 */
class FailStopTest {
  private InMemoryCatalog catalog;

  @BeforeEach
  void catalog() {
    catalog = new InMemoryCatalog();
    catalog.initialize("mem", Map.of());
    Failpoint.reset();
  }

  @AfterEach
  void noFailpoint() {
    System.clearProperty(Failpoint.FAIL_COMMIT);
    Failpoint.reset();
  }

  private CommitCycle task() {
    TableWriters writers =
        new TableWriters(new TableRouter("cdc"), new TableProvisioner(catalog, true, 2), 1);
    return CommitCycleBuilder.of(writers, "sink").flushMaxRecords(1_000).build();
  }

  @Test
  void afterAFailedCommitNothingMoreAppliesOrCommitsAndTheRestartLosesNothing() throws Exception {
    CommitCycle task = task();
    task.apply(event("c", 1, "a", 0));
    task.commit();
    task.apply(event("c", 2, "b", 1));
    task.apply(event("c", 3, "c", 2));
    System.setProperty(Failpoint.FAIL_COMMIT, "1"); // the next commit
    assertThrows(ConnectException.class, task::commitOnTime); // the clock's commit fails

    // Connect keeps delivering until the failure surfaces: none of it may land
    assertThrows(ConnectException.class, () -> task.apply(event("c", 4, "d", 3)));
    assertThrows(ConnectException.class, task::commit);
    assertTrue(task.commitOrRewind().isEmpty(), "closing commits nothing over the lost flush");
    assertEquals(List.of("1|a"), rows());

    // the restarted task is handed everything after what Connect committed (offset 1 on)
    CommitCycle restarted = task();
    restarted.apply(event("c", 2, "b", 1));
    restarted.apply(event("c", 3, "c", 2));
    restarted.apply(event("c", 4, "d", 3));
    restarted.commit();
    assertEquals(List.of("1|a", "2|b", "3|c", "4|d"), rows());
  }

  private List<String> rows() throws Exception {
    return TableRows.of(catalog.loadTable(TableIdentifier.of("cdc", "public_items")), "id", "name");
  }
}
