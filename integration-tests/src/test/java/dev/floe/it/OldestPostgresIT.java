package dev.floe.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.floe.local.FreePorts;
import dev.floe.local.LocalPostgres;
import dev.floe.local.PostgresEndpoint;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/**
 * The pipeline on the oldest Postgres Floe supports, 12 (the other tests run 16): Postgres 12 has
 * no {@code publish_via_partition_root} (the connector failed to start, creating its publication
 * with it) and no {@code wal_status} in {@code pg_replication_slots} (the slot's health could not
 * be read). A table under the default replica identity, with large values an update leaves alone,
 * arrives equal through the snapshot and the WAL; the slot's metrics read; a partitioned table,
 * which Postgres 12 cannot publish, is refused at validation with the fix.
 */
class OldestPostgresIT {
  private static final Duration CATCH_UP = Duration.ofSeconds(120);

  @Test
  void capturesPostgres12AndRefusesWhatItCannotPublish() throws Exception {
    Path binaries = Path.of(System.getProperty("floe.oldest.postgres.binaries", "none"));
    assumeTrue(
        Files.isRegularFile(binaries),
        "The oldest Postgres's binaries are not built for this platform: " + binaries);
    Path dir = Path.of("target", "it-data", "oldest-" + UUID.randomUUID());
    try (LocalPostgres postgres12 =
        LocalPostgres.start(
            dir.resolve("pg"), Path.of("target", "pg-binaries"), FreePorts.pick(), binaries)) {
      postgres12.ensureDatabase("shop_db");
      PostgresEndpoint url =
          PostgresEndpoint.parse(
              "postgresql://postgres:postgres@127.0.0.1:" + postgres12.port() + "/shop_db");
      try (PipelineHarness pipeline = PipelineHarness.start(url, false)) {
        try (Connection c = pipeline.postgres();
            ResultSet rs = c.createStatement().executeQuery("show server_version_num")) {
          rs.next();
          assertTrue(rs.getInt(1) < 130000, "Postgres 12, not " + rs.getString(1));
        }
        pipeline.sql(
            "create schema old",
            // the default replica identity: an update leaving body and doc alone sends neither
            "create table old.notes (id bigint primary key, title text, body text, doc jsonb,"
                + " amount numeric)",
            "insert into old.notes select g, 'note ' || g, repeat(md5(g::text), 300),"
                + " jsonb_build_object('pad', repeat(md5(g::text), 300)), g * 1.25"
                + " from generate_series(1, 40) g",
            "create table old.readings (id int, zone int, v text, primary key (id, zone))"
                + " partition by list (zone)",
            "create table old.readings_z0 partition of old.readings for values in (0)");
        Map<String, String> source = new HashMap<>();
        source.put("topic.prefix", "old");
        source.put("schema.include.list", "old");
        source.put("slot.name", "old_slot");
        source.put("publication.name", "old_publication");

        Map<String, String> refused =
            pipeline.validate(
                "dev.floe.source.PostgresCdcSourceConnector", pipeline.sourceConfig(source));
        String tables = refused.get("schema.include.list");
        assertTrue(
            tables != null
                && tables.contains("old.readings is partitioned")
                && tables.contains("table.exclude.list"),
            refused.toString());

        source.put("table.exclude.list", "old\\.readings.*");
        pipeline.startSource("old-source", source);
        pipeline.startSink(
            "old-sink", Map.of("topics.regex", "old\\.old\\..*", "commit.interval.ms", "1000"));
        pipeline.awaitSameRows("old.notes", "cdc.old_notes", "id", CATCH_UP);
        pipeline.sql(
            "update old.notes set title = 'edited', amount = 'NaN' where id <= 10",
            "delete from old.notes where id > 35",
            "update old.notes set id = id + 100 where id between 11 and 15",
            "insert into old.notes values (500, 'late', 'short', '{}', 1)");
        TableSnapshot rows = pipeline.awaitSameRows("old.notes", "cdc.old_notes", "id", CATCH_UP);
        assertEquals(36, rows.rowsByKey.size());
        assertEquals("edited", rows.rowsByKey.get("1").get("title"));

        MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
        ObjectName slot = new ObjectName("kafka.connect:type=plugins,connector=old-source");
        Waits.until(
            Duration.ofSeconds(60),
            "the slot's metrics of old-source",
            () ->
                mbeans.isRegistered(slot)
                    && ((Number) mbeans.getAttribute(slot, "slot-active")).intValue() == 1
                    && ((Number) mbeans.getAttribute(slot, "slot-retained-wal-bytes")).longValue()
                        >= 0,
            () -> String.valueOf(mbeans.queryNames(new ObjectName("kafka.connect:*"), null)));
      }
    }
  }
}
