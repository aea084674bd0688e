package dev.floe.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Values larger than Kafka's default 1 MiB record: a 3 MB text, a 2 MB jsonb document, a 1.6 MB
 * bytea, a 200,000-element array and a 20,000-element unconstrained numeric array (NaN and Infinity
 * among its values), in a table with the default replica identity (updates of other columns leave
 * them out, and the sink fills them in). With the example configs' limits they arrive exactly, on
 * the snapshot and on the WAL; a connector left at Kafka's 1 MiB stops on the first such change
 * with the row, the column and both settings to raise, and once they are raised it resumes from
 * that change with nothing lost.
 */
class LargeValuesIT extends PipelineTestBase {
  private static final Duration CATCH_UP = Duration.ofSeconds(180);
  private static final String TEXT_3MB =
      "(select string_agg(md5(g::text || %s), '') from generate_series(1, 100000) g)";
  private static final String JSON_2MB =
      "(select jsonb_agg(jsonb_build_object('n', g, 'h', md5((g + %s)::text)))"
          + " from generate_series(1, 40000) g)";
  private static final String BYTES_1_6MB =
      "(select decode(string_agg(md5((g * %s)::text), ''), 'hex') from generate_series(1, 100000) g)";
  private static final String ARRAY_200K =
      "(select array_agg(g + %s) from generate_series(1, 200000) g)";

  @BeforeAll
  static void startPipeline() throws Exception {
    pipeline = PipelineHarness.start();
    pipeline.sql(
        "create schema big",
        "create type big.mood as enum ('sad', 'ok', 'happy')",
        "create type big.part as (name text, qty int)",
        "create table big.docs (id int primary key, note text, body text, doc jsonb, blob bytea,"
            + " nums int[], amounts numeric[], stamps timestamptz[], locals timestamp[],"
            + " shorts smallint[], times time[], hosts inet[], moods big.mood[], parts big.part[])",
        "create table big.capped (id int primary key, body text)",
        "insert into big.capped values (1, 'small')");
    pipeline.sql(
        "insert into big.docs values (1, 'snapshot', "
            + TEXT_3MB.formatted(1)
            + ", null, null, null)",
        "insert into big.docs values (2, 'snapshot', null, "
            + JSON_2MB.formatted(2)
            + ", null, null)");
  }

  @Test
  void valuesLargerThanKafkasDefaultArriveExactly() throws Exception {
    pipeline.startSource(
        "big-source",
        Map.of(
            "topic.prefix", "big",
            "schema.include.list", "",
            "table.include.list", "big\\.docs",
            "slot.name", "big_slot",
            "publication.name", "big_publication"));
    pipeline.startSink(
        "big-sink", Map.of("topics.regex", "big\\.big\\.docs", "commit.interval.ms", "1000"));
    pipeline.sql(
        "insert into big.docs values (3, 'wal', null, null, "
            + BYTES_1_6MB.formatted(3)
            + ", null)",
        "insert into big.docs values (4, 'wal', null, null, null, " + ARRAY_200K.formatted(4) + ")",
        "insert into big.docs values (5, 'wal', "
            + TEXT_3MB.formatted(5)
            + ", null, null, "
            + ARRAY_200K.formatted(5)
            + ")",
        // an unconstrained numeric array, special values in it, large enough to be stored apart
        "insert into big.docs (id, note, amounts) select 7, 'amounts', array_agg(case g % 500"
            + " when 0 then 'NaN' when 1 then 'Infinity' else (random() * 1e6)::numeric end)"
            + " from generate_series(1, 20000) g",
        // arrays of types Debezium sent as null when an update left them out
        "insert into big.docs (id, note, stamps, locals, shorts, times) select 8, 'temporal',"
            + " array_agg(now() - random() * interval '3000 days'),"
            + " array_agg(localtimestamp - random() * interval '3000 days'),"
            + " array_agg((random() * 60000 - 30000)::smallint),"
            + " array_agg(localtime - random() * interval '20 hours')"
            + " from generate_series(1, 3000) g",
        // arrays of enums, addresses and composites: Debezium sent the first two as null when an
        // update left them out, and left the third out of every event
        "insert into big.docs (id, note, hosts, moods, parts) select 9, 'arrays',"
            + " array_agg(('10.0.' || (g / 250) || '.' || (g % 250))::inet),"
            + " array_agg((array['sad', 'ok', 'happy'])[1 + g % 3]::big.mood),"
            + " array_agg(row('part, no. ' || g, g)::big.part)"
            + " from generate_series(1, 3000) g",
        // unchanged large values are left out of these updates: the sink fills them in
        "update big.docs set note = 'updated'",
        "update big.docs set body = " + TEXT_3MB.formatted(6) + " where id = 1",
        "update big.docs set doc = " + JSON_2MB.formatted(7) + ", note = 'new doc' where id = 2",
        "delete from big.docs where id = 3",
        "insert into big.docs values (6, 'after', 'small', '{}', '\\x00', '{1}')");
    TableSnapshot rows = pipeline.awaitSameRows("big.docs", "cdc.big_docs", "id", CATCH_UP);
    assertEquals(8, rows.rowsByKey.size());
    assertEquals("updated", rows.rowsByKey.get("8").get("note"));
    assertEquals("updated", rows.rowsByKey.get("9").get("note"));
    assertEquals("updated", rows.rowsByKey.get("7").get("note"));
    assertEquals(3_200_000, rows.rowsByKey.get("1").get("body").length());
  }

  @Test
  void aChangeOverTheProducersLimitStopsTheSourceUntilRaisedAndLosesNothing() throws Exception {
    Map<String, String> capped = new HashMap<>();
    capped.put("topic.prefix", "cap");
    capped.put("schema.include.list", "");
    capped.put("table.include.list", "big\\.capped");
    capped.put("slot.name", "cap_slot");
    capped.put("publication.name", "cap_publication");
    // Kafka's defaults, stated: the producer's 1 MiB and the broker's limit for the topic
    capped.put("producer.override.max.request.size", "1048576");
    capped.put("topic.creation.default.max.message.bytes", "1048588");
    pipeline.startSource("cap-source", capped);
    pipeline.startSink(
        "cap-sink", Map.of("topics.regex", "cap\\.big\\.capped", "commit.interval.ms", "1000"));
    pipeline.awaitSameRows("big.capped", "cdc.big_capped", "id", CATCH_UP);

    pipeline.sql(
        "insert into big.capped values (2, 'before')",
        "insert into big.capped values (3, " + TEXT_3MB.formatted(3) + ")",
        "insert into big.capped values (4, 'after')",
        "update big.capped set body = 'changed' where id = 1");
    String[] trace = {""};
    Waits.until(
        CATCH_UP,
        "the source task failing on the 3 MB change",
        () -> {
          JsonNode task = pipeline.stack.worker().rest().status("cap-source").path("tasks").path(0);
          trace[0] = task.path("trace").asText();
          return "FAILED".equals(task.path("state").asText());
        },
        () -> trace[0]);
    assertTrue(trace[0].contains("3,200,000 of them in column body"), trace[0]);
    assertTrue(trace[0].contains("max.message.bytes"), trace[0]);

    // the fix the message gives: both limits raised, then the task restarted
    try (Admin admin = Admin.create(adminProps())) {
      ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "cap.big.capped");
      admin
          .incrementalAlterConfigs(
              Map.of(
                  topic,
                  List.of(
                      new AlterConfigOp(
                          new ConfigEntry("max.message.bytes", "8388608"),
                          AlterConfigOp.OpType.SET))))
          .all()
          .get();
    }
    capped.put("producer.override.max.request.size", "8388608");
    pipeline.startSource("cap-source", capped);
    pipeline.stack.worker().rest().post("connectors/cap-source/tasks/0/restart");
    pipeline.awaitRunning("cap-source");
    TableSnapshot rows = pipeline.awaitSameRows("big.capped", "cdc.big_capped", "id", CATCH_UP);
    assertEquals(4, rows.rowsByKey.size());
  }

  private static Properties adminProps() {
    Properties props = new Properties();
    props.put("bootstrap.servers", pipeline.stack.kafka().bootstrapServers());
    return props;
  }
}
