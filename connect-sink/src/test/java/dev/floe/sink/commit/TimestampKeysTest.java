package dev.floe.sink.commit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.floe.sink.event.ChangeEvent;
import dev.floe.sink.event.ChangeEvents;
import dev.floe.sink.index.KeyIndexes;
import dev.floe.sink.schema.UnavailableValues;
import dev.floe.sink.write.TableRows;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TimestampKeysTest {
  private static final String TOAST = UnavailableValues.DEBEZIUM_DEFAULT;
  private static final Schema ZONED =
      SchemaBuilder.string().name("io.debezium.time.ZonedTimestamp").version(1).build();
  private static final Schema DAY =
      SchemaBuilder.int32().name("io.debezium.time.Date").version(1).build();
  private static final Schema LOCAL =
      SchemaBuilder.int64().name("io.debezium.time.MicroTimestamp").version(1).build();
  // timestamptz, date and timestamp: the usual keys of a table partitioned by time in Postgres
  private static final Schema KEY =
      SchemaBuilder.struct()
          .name("it.public.items.Key")
          .field("region", Schema.STRING_SCHEMA)
          .field("at", ZONED)
          .field("day", DAY)
          .field("local", LOCAL)
          .build();
  private static final Schema ROW =
      SchemaBuilder.struct()
          .name("it.public.items.Value")
          .optional()
          .field("region", Schema.STRING_SCHEMA)
          .field("at", ZONED)
          .field("day", DAY)
          .field("local", LOCAL)
          .field("name", Schema.OPTIONAL_STRING_SCHEMA)
          .build();
  private static final Schema ENVELOPE = ChangeEvents.envelopeOf(ROW);

  private InMemoryCatalog catalog;
  private final List<String> refused = new ArrayList<>();

  @BeforeEach
  void catalog() {
    catalog = new InMemoryCatalog();
    catalog.initialize("mem", Map.of());
  }

  @Test
  void anUpdateAfterARestartReplacesTheRow() throws Exception {
    CommitCycle first = task();
    first.apply(parse(record("c", "r1", "2026-01-01T00:00:00.514Z", "one", 0)));
    first.apply(parse(record("c", "r2", "2026-01-01T00:00:00.077Z", "two", 1)));
    first.commit();
    CommitCycle restarted = task();
    restarted.apply(parse(record("u", "r1", "2026-01-01T00:00:00.514Z", "uno", 2)));
    restarted.apply(parse(record("u", "r2", "2026-01-01T00:00:00.077Z", TOAST, 3)));
    restarted.commit();
    assertTrue(refused.isEmpty(), refused.toString());
    assertEquals(List.of("r1|uno", "r2|two"), rows());
    // found through the key index, deleted by position: no equality delete for readers to join
    org.apache.iceberg.Table table = catalog.loadTable(TableIdentifier.of("cdc", "public_items"));
    List<org.apache.iceberg.FileContent> deletes = new ArrayList<>();
    table.currentSnapshot().addedDeleteFiles(table.io()).forEach(f -> deletes.add(f.content()));
    assertEquals(List.of(org.apache.iceberg.FileContent.POSITION_DELETES), deletes);
  }

  @Test
  void changesOfOneKeyInOneFlushFoldIntoItsLastState() throws Exception {
    CommitCycle task = task();
    task.apply(parse(record("c", "r1", "2026-01-01T00:00:00.514Z", "one", 0)));
    task.apply(parse(record("u", "r1", "2026-01-01T00:00:00.514Z", "uno", 1)));
    task.apply(parse(record("c", "r2", "2026-01-01T00:00:00.077Z", "two", 2)));
    task.apply(parse(record("d", "r2", "2026-01-01T00:00:00.077Z", null, 3)));
    task.commit();
    assertTrue(refused.isEmpty(), refused.toString());
    assertEquals(List.of("r1|uno"), rows());
  }

  @Test
  void aDeleteInALaterFlushRemovesTheRow() throws Exception {
    CommitCycle task = task();
    task.apply(parse(record("c", "r1", "2026-01-01T00:00:00.514Z", "one", 0)));
    task.apply(parse(record("c", "r2", "2026-01-01T00:00:00.077Z", "two", 1)));
    task.commit();
    task.apply(parse(record("d", "r1", "2026-01-01T00:00:00.514Z", null, 2)));
    task.commit();
    assertEquals(List.of("r2|two"), rows());
  }

  private static SinkRecord record(String op, String region, String at, String name, long offset) {
    int day = (int) Instant.parse(at).atOffset(ZoneOffset.UTC).toLocalDate().toEpochDay();
    long local = Instant.parse(at).toEpochMilli() * 1000;
    Struct row =
        new Struct(ROW).put("region", region).put("at", at).put("day", day).put("local", local);
    Struct key =
        new Struct(KEY).put("region", region).put("at", at).put("day", day).put("local", local);
    return ChangeEvents.change(
        op, ENVELOPE, key, op.equals("d") ? row : row.put("name", name), 0, offset, 100 + offset);
  }

  private static ChangeEvent parse(SinkRecord record) {
    return ChangeEvents.parse(record);
  }

  private CommitCycle task() {
    return UpsertCycles.refusingTo(
        catalog,
        new KeyIndexes(true),
        (records, reason) -> records.forEach(r -> refused.add(r.kafkaOffset() + ": " + reason)));
  }

  private List<String> rows() throws Exception {
    return TableRows.of(
            catalog.loadTable(TableIdentifier.of("cdc", "public_items")), "region", "name")
        .stream()
        .sorted()
        .toList();
  }
}
