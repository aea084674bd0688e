package dev.floe.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.floe.local.FreePorts;
import dev.floe.local.LocalPostgres;
import dev.floe.local.PostgresEndpoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code floe-local up --postgres-url ...}: the pipeline captures a database it did not start (here
 * a second Postgres server standing in for the user's), and keeps its Iceberg catalog in that
 * database too.
 */
class ExternalPostgresIT {

  @Test
  void capturesAnExistingDatabaseGivenByUrl() throws Exception {
    Path dir = Path.of("target", "it-data", "external-" + UUID.randomUUID());
    try (LocalPostgres theirs =
        LocalPostgres.start(
            dir.resolve("pg"), Path.of("target", "pg-binaries"), FreePorts.pick())) {
      theirs.ensureDatabase("orders_db");
      PostgresEndpoint url =
          PostgresEndpoint.parse(
              "postgresql://postgres:postgres@127.0.0.1:" + theirs.port() + "/orders_db");
      try (PipelineHarness pipeline = PipelineHarness.start(url, false)) {
        pipeline.sql(
            "create table public.orders (id bigint primary key, item text, qty int)",
            "insert into public.orders select g, 'item ' || g, g % 5 from generate_series(1, 50) g");
        pipeline.startSource(
            "ext-source",
            Map.of(
                "topic.prefix",
                "ext",
                "schema.include.list",
                "public",
                "slot.name",
                "ext_slot",
                "publication.name",
                "ext_publication"));
        pipeline.startSink(
            "ext-sink", Map.of("topics.regex", "ext\\.public\\..*", "commit.interval.ms", "1000"));
        pipeline.sql(
            "update public.orders set qty = qty + 10 where id <= 10",
            "delete from public.orders where id > 45");
        TableSnapshot rows =
            pipeline.awaitSameRows(
                "public.orders", "cdc.public_orders", "id", Duration.ofSeconds(120));
        assertEquals(45, rows.rowsByKey.size());
      }
    }
  }
}
