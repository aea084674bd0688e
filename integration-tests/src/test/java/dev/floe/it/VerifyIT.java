package dev.floe.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.parquet.Parquet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code floe verify} on a running pipeline: tables that are equal report equal (exit 0) while
 * changes keep flowing, because keys that differ only for want of a commit are read again until the
 * sink has caught up; with the sink paused, a row changed in Postgres, a row inserted, a row
 * deleted and a row written directly into the Iceberg table are each reported with their key (exit
 * 1).
 */
class VerifyIT extends PipelineTestBase {
  private static final Duration CATCH_UP = Duration.ofSeconds(120);

  @BeforeAll
  static void startPipeline() throws Exception {
    pipeline = PipelineHarness.start();
  }

  @Test
  void equalTablesVerifyEqualUnderLoadAndEachDifferenceIsReportedByKey() throws Exception {
    pipeline.sql(
        "create schema ledger",
        "create table ledger.entries (id bigint primary key, account text not null,"
            + " amount numeric(12,2), note text, at timestamptz not null default now())",
        "insert into ledger.entries (id, account, amount, note) select g, 'acct-' || (g % 31),"
            + " g * 1.5, 'entry ' || g from generate_series(1, 3000) g");
    pipeline.startSource(
        "verify-source",
        Map.of(
            "topic.prefix", "vf",
            "schema.include.list", "ledger",
            "slot.name", "vf_slot",
            "publication.name", "vf_publication"));
    pipeline.startSink(
        "verify-sink", Map.of("topics.regex", "vf\\.ledger\\..*", "commit.interval.ms", "1000"));
    pipeline.awaitSameRows("ledger.entries", "cdc.ledger_entries", "id", CATCH_UP);

    AtomicBoolean running = new AtomicBoolean(true);
    Thread load = new Thread(() -> changeRows(running), "verify-load");
    load.start();
    JsonNode live;
    JsonNode oneReal;
    try {
      Thread.sleep(1_500);
      // while changes flow: keys that differ for want of a commit are read again once the
      // pipeline has carried what Postgres held, so an equal table verifies equal
      Run run = verify(withKafka("--settle-seconds", "90"));
      assertEquals(0, run.exitCode, run.output);
      live = run.json;
      // and a real difference among them is the only one reported
      appendDirectlyToIceberg(pipeline.table("cdc.ledger_entries"), 800001L);
      Run real = verify(withKafka("--settle-seconds", "90"));
      assertEquals(1, real.exitCode, real.output);
      oneReal = real.json;
    } finally {
      running.set(false);
      load.join();
    }
    assertTrue(live.path("equal").asBoolean(), live.toString());
    JsonNode entries = live.path("tables").get(0);
    assertEquals("ledger.entries", entries.path("postgres_table").asText());
    assertEquals(entries.path("postgres_rows").asLong(), entries.path("iceberg_rows").asLong());
    JsonNode reported = oneReal.path("tables").get(0).path("differences");
    assertEquals(1, reported.size(), oneReal.toString());
    assertEquals("800001", reported.get(0).path("key").asText());
    assertEquals("extra in iceberg", reported.get(0).path("kind").asText());
    // the row's own file goes again, so that the pipeline alone makes the table equal
    pipeline
        .table("cdc.ledger_entries")
        .newDelete()
        .deleteFromRowFilter(org.apache.iceberg.expressions.Expressions.equal("id", 800001L))
        .commit();

    pipeline.awaitSameRows("ledger.entries", "cdc.ledger_entries", "id", CATCH_UP);
    pipeline.stack.worker().rest().put("connectors/verify-sink/pause", Map.of());
    Waits.until(
        Duration.ofSeconds(60),
        "verify-sink paused",
        () ->
            pipeline
                .stack
                .worker()
                .rest()
                .status("verify-sink")
                .path("tasks")
                .get(0)
                .path("state")
                .asText()
                .equals("PAUSED"),
        () -> "");
    pipeline.sql(
        "update ledger.entries set note = 'changed in postgres' where id = 5",
        "insert into ledger.entries (id, account) values (900001, 'new')",
        "delete from ledger.entries where id = 7");
    appendDirectlyToIceberg(pipeline.table("cdc.ledger_entries"), 800001L);
    // a row Iceberg holds twice, both copies as Postgres holds it (a delete that did not apply)
    String twice = String.valueOf(duplicateInIceberg(pipeline.table("cdc.ledger_entries")));

    Run run = verify(withKafka("--settle-seconds", "5"));
    assertEquals(1, run.exitCode, run.output);
    Map<String, JsonNode> byKey = new HashMap<>();
    run.json
        .path("tables")
        .get(0)
        .path("differences")
        .forEach(d -> byKey.put(d.path("key").asText(), d));
    assertEquals(
        new java.util.TreeSet<>(List.of("5", "7", "800001", "900001", twice)),
        new java.util.TreeSet<>(byKey.keySet()));
    assertEquals("more than one row in iceberg", byKey.get(twice).path("kind").asText());
    assertEquals("different", byKey.get("5").path("kind").asText());
    assertEquals(
        "changed in postgres",
        byKey.get("5").path("columns").path("note").path("postgres").asText());
    assertEquals("entry 5", byKey.get("5").path("columns").path("note").path("iceberg").asText());
    assertEquals("extra in iceberg", byKey.get("7").path("kind").asText());
    assertEquals("extra in iceberg", byKey.get("800001").path("kind").asText());
    assertEquals("missing in iceberg", byKey.get("900001").path("kind").asText());

    Run text = verify("--settle-seconds", "0", "--tables", "ledger.entries", "--text");
    assertEquals(1, text.exitCode, text.output);
    assertTrue(text.output.contains("DIFFERENT"), text.output);
    assertTrue(text.output.contains("key 900001: missing in iceberg"), text.output);

    // the ingestion audit: the sink's commits, newest first, with their events and source LSN
    Run history = verify("--history", "ledger.entries");
    assertEquals(0, history.exitCode, history.output);
    JsonNode commits = history.json;
    assertTrue(commits.size() > 1, history.output);
    long events = 0;
    for (JsonNode commit : commits) {
      events += commit.path("floe.events").asLong(0);
    }
    assertTrue(events >= 3000, "the commits applied the snapshot's 3000 rows and more: " + events);
    boolean withLsn = false;
    for (JsonNode commit : commits) {
      withLsn |= commit.path("floe.source.max-lsn").isTextual();
    }
    assertTrue(withLsn, "commits carry their source LSN: " + history.output);
  }

  private record Run(int exitCode, String output, JsonNode json) {}

  private static String[] withKafka(String... more) {
    List<String> args = new ArrayList<>(List.of(more));
    args.addAll(
        List.of(
            "--kafka-bootstrap", pipeline.stack.kafka().bootstrapServers(), "--slot", "vf_slot"));
    return args.toArray(String[]::new);
  }

  private static Run verify(String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of("--namespace", "cdc"));
    boolean text = List.of(extra).contains("--text");
    for (String arg : extra) {
      if (!arg.equals("--text")) {
        args.add(arg);
      }
    }
    if (!text) {
      args.add("--json");
    }
    VerifyCommand.Result result = VerifyCommand.run(pipeline, args);
    return new Run(
        result.exitCode(),
        result.output(),
        text ? null : new ObjectMapper().readTree(result.output()));
  }

  private static void changeRows(AtomicBoolean running) {
    Random random = new Random(7);
    long next = 10_000;
    try (Connection db = pipeline.postgres();
        Statement st = db.createStatement()) {
      while (running.get()) {
        int id = 1 + random.nextInt(3000);
        switch (random.nextInt(3)) {
          case 0 -> st.execute("update ledger.entries set amount = amount + 1 where id = " + id);
          case 1 ->
              st.execute(
                  "insert into ledger.entries (id, account) values (" + next++ + ", 'live')");
          default -> st.execute("delete from ledger.entries where id = " + id);
        }
        Thread.sleep(20);
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A second copy of one of the table's rows (not 5 or 7, which the test changes), in a file of its
   * own: its key.
   */
  private static long duplicateInIceberg(Table table) throws Exception {
    Record copy = null;
    try (org.apache.iceberg.io.CloseableIterable<Record> rows =
        org.apache.iceberg.data.IcebergGenerics.read(table).build()) {
      for (Record row : rows) {
        long id = (Long) row.getField("id");
        if (id > 7 && id < 800_000) {
          copy = row.copy();
          break;
        }
      }
    }
    writeDirectly(table, copy);
    return (Long) copy.getField("id");
  }

  /** A row no change event made: written into the table with Iceberg's own writer. */
  private static void appendDirectlyToIceberg(Table table, long id) throws Exception {
    Record row = GenericRecord.create(table.schema());
    row.setField("id", id);
    row.setField("account", "written in iceberg");
    row.setField("amount", new BigDecimal("1.00"));
    row.setField("at", OffsetDateTime.parse("2026-01-01T00:00:00Z"));
    writeDirectly(table, row);
  }

  private static void writeDirectly(Table table, Record row) throws Exception {
    DataWriter<Record> writer =
        Parquet.writeData(
                table
                    .io()
                    .newOutputFile(
                        table.locationProvider().newDataLocation(UUID.randomUUID() + ".parquet")))
            .schema(table.schema())
            .createWriterFunc(GenericParquetWriter::create)
            .withSpec(table.spec())
            .overwrite()
            .build();
    try (writer) {
      writer.write(row);
    }
    table.newAppend().appendFile(writer.toDataFile()).commit();
  }
}
