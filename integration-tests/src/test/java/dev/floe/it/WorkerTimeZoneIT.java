package dev.floe.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Connect worker whose JVM runs in a zone with daylight saving time, as on a laptop: temporal
 * values arrive as Postgres holds them, whatever the worker's zone. The values are the ones a
 * zone's calendar bends: a local time in the spring-forward gap (02:30 on 2024-03-10 does not exist
 * in New York), one in the autumn's repeated hour, a date before the zone had standard time (local
 * mean time, -4:56:02), and BC; on the snapshot and on the WAL, as scalars and in arrays.
 */
class WorkerTimeZoneIT extends PipelineTestBase {
  private static final Duration CATCH_UP = Duration.ofSeconds(120);

  @BeforeAll
  static void startPipeline() throws Exception {
    pipeline =
        PipelineHarness.startWithForkedWorkerOptions(List.of("-Duser.timezone=America/New_York"));
    pipeline.sql(
        "create schema tzs",
        "create table tzs.moments (id int primary key, ts timestamp, tz timestamptz, d date,"
            + " t time, ts3 timestamp(3), tss timestamp[], tzs timestamptz[], ds date[])",
        "insert into tzs.moments values"
            + " (1, '2024-03-10 02:30:00', '2024-03-10 02:30:00-05', '2024-03-10', '02:30:00',"
            + " '2024-03-10 02:30:00.123', '{\"2024-03-10 02:30:00.000001\"}',"
            + " '{\"2024-03-10 02:30:00-05\"}', '{2024-03-10}'),"
            + " (2, '2024-11-03 01:30:00', '2024-11-03 01:30:00-04', '2024-11-03', '01:30:00',"
            + " '2024-11-03 01:30:00.5', '{\"2024-11-03 01:30:00\"}', '{\"2024-11-03 01:30:00-04\"}',"
            + " '{2024-11-03}'),"
            + " (3, '1883-11-18 12:00:00', '1883-11-18 12:00:00+00', '1883-11-18', '12:00:00',"
            + " '1883-11-18 12:00:00', '{\"1883-11-18 12:00:00\"}', '{\"1883-11-18 12:00:00+00\"}',"
            + " '{1883-11-18}'),"
            + " (4, '0044-03-15 10:00:00 BC', '0044-03-15 10:00:00+00 BC', '0044-03-15 BC',"
            + " '23:59:59.999999', '0044-03-15 10:00:00 BC', null, null, null)");
    pipeline.startSource(
        "tzs-source",
        Map.of(
            "topic.prefix", "tzs",
            "schema.include.list", "tzs",
            "slot.name", "tzs_slot",
            "publication.name", "tzs_publication"));
    pipeline.startSink(
        "tzs-sink", Map.of("topics.regex", "tzs\\.tzs\\..*", "commit.interval.ms", "1000"));
  }

  @Test
  void temporalValuesArriveAsPostgresHoldsThemInAnyWorkerZone() throws Exception {
    pipeline.awaitSameRows("tzs.moments", "cdc.tzs_moments", "id", CATCH_UP);
    pipeline.sql(
        "insert into tzs.moments select id + 10, ts, tz, d, t, ts3, tss, tzs, ds from tzs.moments");
    TableSnapshot rows = pipeline.awaitSameRows("tzs.moments", "cdc.tzs_moments", "id", CATCH_UP);
    assertEquals(8, rows.rowsByKey.size());
    // the gap's local time is kept as written, not moved to 03:30
    assertEquals("2024-03-10T02:30", rows.rowsByKey.get("11").get("ts"));
    assertEquals("[2024-03-10T02:30:00.000001]", rows.rowsByKey.get("11").get("tss"));
  }
}
