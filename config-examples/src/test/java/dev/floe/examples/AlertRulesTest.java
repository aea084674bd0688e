package dev.floe.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * config-examples/monitoring/alerts.yml as Prometheus reads it: {@code promtool check rules} (from
 * Debian's prometheus package, which .ci/run installs) accepts it, and it covers what an operator
 * must be woken for. Without promtool on the PATH the check is skipped, saying so; the names the
 * rules use are checked against a live scrape by PrometheusMetricsIT either way.
 */
class AlertRulesTest {
  private static final Path RULES = Path.of("monitoring", "alerts.yml");

  @Test
  void promtoolAcceptsTheRules() throws Exception {
    Assumptions.assumeTrue(
        onPath("promtool"),
        "promtool is not on the PATH (Debian package prometheus): the rules are not syntax-checked");
    Process check =
        new ProcessBuilder("promtool", "check", "rules", RULES.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(check.waitFor(60, TimeUnit.SECONDS), "promtool did not finish");
    assertEquals(0, check.exitValue(), output);
  }

  @Test
  void theRulesCoverWhatOperatorsMustKnow() throws Exception {
    String rules = Files.readString(RULES);
    for (String metric :
        List.of(
            "floe_source_slot_retained_wal_bytes", // the database's disk
            "floe_source_slot_confirmed_flush_age_seconds", // source lag
            "floe_sink_source_watermark_age_ms", // the lake's freshness per table
            "floe_sink_last_commit_age_ms", // commits failing or stuck
            "floe_task_dead_letter_records_total", // records set aside
            "kafka_connect_task_status")) { // a task not RUNNING
      assertTrue(rules.contains(metric), "no alert on " + metric);
    }
  }

  private static boolean onPath(String command) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }
}
