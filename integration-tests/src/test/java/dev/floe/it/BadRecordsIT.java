package dev.floe.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A record the sink cannot apply goes to the dead letter topic with the reason and its coordinates,
 * the table keeps its real data, and everything else still lands. The bad record here is the common
 * one in production: an update of a table without REPLICA IDENTITY FULL that leaves a TOASTed
 * column unchanged, which Debezium sends as a placeholder.
 */
class BadRecordsIT extends PipelineTestBase {

  @BeforeAll
  static void startPipeline() throws Exception {
    pipeline = PipelineHarness.start();
  }

  @Test
  void aToastPlaceholderGoesToTheDeadLetterTopicAndNeverOverwritesRealData() throws Exception {
    pipeline.sql(
        "create schema docs",
        "create table docs.pages (id int primary key, title text, body text)",
        // ~13 KB of hex: stored out of line (TOASTed) even after compression
        "insert into docs.pages select g, 'title ' || g, (select string_agg(md5(random()::text || h), '')"
            + " from generate_series(1, 400) h) from generate_series(1, 3) g");
    pipeline.startSource(
        "bad-source",
        Map.of(
            "topic.prefix",
            "bad",
            "schema.include.list",
            "docs",
            "slot.name",
            "bad_slot",
            "publication.name",
            "bad_publication"));
    Map<String, String> sink = new HashMap<>();
    sink.put("topics.regex", "bad\\.docs\\..*");
    sink.put("commit.interval.ms", "1000");
    sink.put("errors.tolerance", "all");
    sink.put("errors.deadletterqueue.topic.name", "floe-dead-letters");
    sink.put("errors.deadletterqueue.topic.replication.factor", "1");
    sink.put("errors.deadletterqueue.context.headers.enable", "true");
    pipeline.startSink("bad-sink", sink);
    pipeline.awaitSameRows("docs.pages", "cdc.docs_pages", "id", Duration.ofSeconds(120));
    String body1 = pgBody(1);

    // body is TOASTed and not changed: Debezium sends the placeholder for it
    pipeline.sql(
        "update docs.pages set title = 'renamed' where id = 1",
        "update docs.pages set title = 'rewritten', body = 'short body' where id = 2",
        "insert into docs.pages values (4, 'fresh', 'small')",
        "delete from docs.pages where id = 3");

    ConsumerRecord<byte[], byte[]> dead =
        DeadLetters.read(pipeline.stack.kafka().bootstrapServers(), "floe-dead-letters", 1).get(0);
    Map<String, String> headers = new HashMap<>();
    for (Header header : dead.headers()) {
      headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
    }
    assertEquals("bad.docs.pages", headers.get("__connect.errors.topic"));
    assertTrue(headers.containsKey("__connect.errors.offset"), headers.toString());
    assertTrue(
        headers.get("__connect.errors.exception.message").contains("REPLICA IDENTITY FULL"),
        headers.toString());

    // everything else landed; row 1 kept its real body (and, the update being refused, its old
    // title)
    pipeline.sql("update docs.pages set title = 'title 1' where id = 1");
    TableSnapshot rows =
        pipeline.awaitSameRows("docs.pages", "cdc.docs_pages", "id", Duration.ofSeconds(120));
    assertEquals(body1, rows.rowsByKey.get("1").get("body"));
    assertEquals("short body", rows.rowsByKey.get("2").get("body"));
  }

  private String pgBody(int id) throws Exception {
    try (Connection c = pipeline.postgres();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select body from docs.pages where id = " + id)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
