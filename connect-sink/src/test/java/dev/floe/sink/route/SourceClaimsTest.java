package dev.floe.sink.route;

import static dev.floe.sink.event.ChangeEvents.KEY;
import static dev.floe.sink.event.ChangeEvents.ROW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.floe.sink.event.ChangeEvent;
import dev.floe.sink.event.ChangeEventParser;
import dev.floe.sink.write.TableWriters;
import java.util.Map;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

/**
 * Two databases' {@code public.users} both make {@code public_users} under the default naming: the
 * first owns the table, the other is refused with the fix, in the same task, in another task or
 * after a restart, and when another task created the table a moment before this one's first record.
 * A route regex's merges are left alone.
 */
class SourceClaimsTest {
  private static final TableIdentifier USERS = TableIdentifier.of("cdc", "public_users");
  private static final Schema SOURCE =
      SchemaBuilder.struct()
          .name("io.debezium.connector.postgresql.Source")
          .field("db", Schema.STRING_SCHEMA)
          .field("schema", Schema.STRING_SCHEMA)
          .field("table", Schema.STRING_SCHEMA)
          .build();
  private static final Schema ENVELOPE =
      SchemaBuilder.struct()
          .name("it.public.users.Envelope")
          .field("before", ROW)
          .field("after", ROW)
          .field("source", SOURCE)
          .field("op", Schema.STRING_SCHEMA)
          .build();
  private final InMemoryCatalog catalog = new InMemoryCatalog();

  SourceClaimsTest() {
    catalog.initialize("mem", Map.of());
  }

  private TableWriters task() {
    return task(new TableRouter("cdc", null, null, SourceClaims.of(catalog)));
  }

  private TableWriters task(TableRouter router) {
    return new TableWriters(router, new TableProvisioner(catalog, true, 2), 1);
  }

  /** A change of {@code db.schema.table} read from topic {@code db.schema.table}. */
  private static ChangeEvent from(String db, String schema, String table, int id) {
    Struct source = new Struct(SOURCE).put("db", db).put("schema", schema).put("table", table);
    Struct value =
        new Struct(ENVELOPE)
            .put("op", "c")
            .put("source", source)
            .put("after", new Struct(ROW).put("id", id).put("name", db));
    return new ChangeEventParser()
        .parse(
            new SinkRecord(
                db + "." + schema + "." + table,
                0,
                KEY,
                new Struct(KEY).put("id", id),
                ENVELOPE,
                value,
                id));
  }

  private static ChangeEvent tombstone(String topic, int id) {
    return new ChangeEventParser()
        .parse(new SinkRecord(topic, 0, KEY, new Struct(KEY).put("id", id), null, null, id));
  }

  @Test
  void anotherDatabasesTableOfTheSameNameIsRefusedInTheSameTask() {
    TableWriters task = task();
    assertEquals(
        "mem.cdc.public_users", task.writerFor(from("app", "public", "users", 1)).table().name());
    DataException refused =
        assertThrows(
            DataException.class, () -> task.writerFor(from("billing", "public", "users", 2)));
    assertTrue(
        refused
            .getMessage()
            .startsWith(
                "Source tables billing.public.users and app.public.users (database.schema.table)"
                    + " both go to Iceberg table cdc.public_users"),
        refused.getMessage());
    assertTrue(refused.getMessage().contains("iceberg.tables.route-regex"), refused.getMessage());
    assertThrows(
        DataException.class,
        () -> task.writerFor(tombstone("billing.public.users", 2)),
        "its tombstones too: they would delete the owner's rows");
    assertNotNull(task.writerFor(from("app", "public", "users", 3)), "the owner still writes");
    assertNotNull(task.writerFor(tombstone("app.public.users", 3)), "and deletes");
    assertEquals(
        "app.public.users", catalog.loadTable(USERS).properties().get(SourceClaims.PROPERTY));
  }

  @Test
  void anotherTaskOrARestartFindsTheOwnerInTheTable() {
    task().writerFor(from("app", "public", "users", 1));
    TableWriters restarted = task();
    assertThrows(
        DataException.class, () -> restarted.writerFor(from("billing", "public", "users", 2)));
    assertNotNull(restarted.writerFor(from("app", "public", "users", 3)));
    assertThrows(
        DataException.class, () -> restarted.writerFor(from("billing", "public", "users", 4)));
  }

  @Test
  void aTableAnotherTaskCreatedAMomentBeforeIsRefusedOnLoadAndFromThenOn() {
    // this task's claims read no table (as when it routed billing's users before it existed)...
    TableWriters late = task(new TableRouter("cdc", null, null, SourceClaims.inTask()));
    // ...while another task created it for app's
    task().writerFor(from("app", "public", "users", 1));
    assertThrows(
        SourceClaims.TakenException.class,
        () -> late.writerFor(from("billing", "public", "users", 2)));
    assertThrows(DataException.class, () -> late.writerFor(from("billing", "public", "users", 3)));
    assertThrows(DataException.class, () -> late.writerFor(tombstone("billing.public.users", 3)));
    assertNotNull(late.writerFor(from("app", "public", "users", 4)), "the owner writes here too");
    assertThrows(DataException.class, () -> late.writerFor(from("billing", "public", "users", 5)));
  }

  @Test
  void oneDatabasesSchemaAndTableThatMeetInOneNameAreToldApart() {
    TableWriters task = task();
    task.writerFor(from("app", "a", "b_c", 1));
    assertThrows(DataException.class, () -> task.writerFor(from("app", "a_b", "c", 2)));
  }

  @Test
  void sourcesARouteRegexSendsToOneTableAreMergedOnPurpose() {
    TableWriters merging =
        task(new TableRouter("cdc", "public\\.users", "users", SourceClaims.of(catalog)));
    assertNotNull(merging.writerFor(from("app", "public", "users", 1)));
    assertNotNull(merging.writerFor(from("billing", "public", "users", 2)));
    assertNull(
        catalog
            .loadTable(TableIdentifier.of("cdc", "users"))
            .properties()
            .get(SourceClaims.PROPERTY));
  }
}
