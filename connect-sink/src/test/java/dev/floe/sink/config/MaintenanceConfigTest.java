package dev.floe.sink.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.floe.sink.maintain.MaintenanceSettings;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The maintenance settings as a user writes them: defaults, values, and a retention too short. */
class MaintenanceConfigTest {
  private static final String MAX_AGE = "iceberg.maintenance.expire-snapshots.max-age.ms";

  @Test
  void settingsReachTheMaintainer() {
    Map<String, String> props = new HashMap<>();
    props.put("iceberg.maintenance.compaction.enabled", "false");
    props.put("iceberg.maintenance.interval.ms", "5000");
    MaintenanceSettings settings = new SinkConfig(props).maintenance();
    assertFalse(settings.compaction());
    assertEquals(5000, settings.intervalMs());
    assertTrue(settings.expireSnapshots(), "the rest keep their defaults");
  }

  @Test
  void aRetentionShorterThanACommitsRetriesIsRefusedNamingTheKeys() {
    Map<String, String> props = new HashMap<>();
    props.put(MAX_AGE, "90000"); // shorter than the default commit retry timeout, 120 s
    String problem = MaintenanceFragment.snapshotAgeProblem(props);
    assertTrue(problem.contains(MAX_AGE) && problem.contains("commit.retry.timeout.ms"), problem);
    props.put(SinkConfig.COMMIT_RETRY_TIMEOUT_MS, "30000");
    assertNull(MaintenanceFragment.snapshotAgeProblem(props));
  }
}
