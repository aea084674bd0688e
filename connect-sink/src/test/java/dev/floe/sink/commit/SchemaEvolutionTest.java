package dev.floe.sink.commit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.floe.sink.event.ChangeEvent;
import dev.floe.sink.event.ChangeEventParser;
import dev.floe.sink.schema.SchemaEvolver;
import dev.floe.sink.schema.TypeChangePolicy;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.apache.iceberg.types.Types;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

/** New shapes of rows change the table's schema before they are written, or are refused. */
class SchemaEvolutionTest {
  private static final Schema KEY = SchemaBuilder.struct().field("id", Schema.INT32_SCHEMA).build();
  private final InMemoryCatalog catalog = new InMemoryCatalog();
  private long offset;

  private CommitCycle task(boolean evolve) {
    return task(new SchemaEvolver(evolve));
  }

  private CommitCycle task(SchemaEvolver evolver) {
    catalog.initialize("mem", Map.of());
    return UpsertCycles.of(catalog, evolver);
  }

  /** Evolution on, tables created in {@code formatVersion}. */
  private CommitCycle task(int formatVersion) {
    catalog.initialize("mem", Map.of());
    return UpsertCycles.of(catalog, new SchemaEvolver(true), formatVersion);
  }

  /** An upsert of {@code id} whose row has the given (name, schema, value) columns besides id. */
  private ChangeEvent upsert(int id, Object... columns) {
    SchemaBuilder row =
        SchemaBuilder.struct().name("row").optional().field("id", Schema.INT32_SCHEMA);
    for (int i = 0; i < columns.length; i += 3) {
      row.field((String) columns[i], (Schema) columns[i + 1]);
    }
    Schema rowSchema = row.build();
    Struct after = new Struct(rowSchema).put("id", id);
    for (int i = 0; i < columns.length; i += 3) {
      after.put((String) columns[i], columns[i + 2]);
    }
    Schema envelope =
        SchemaBuilder.struct().field("after", rowSchema).field("op", Schema.STRING_SCHEMA).build();
    Struct value = new Struct(envelope).put("after", after).put("op", "u");
    return new ChangeEventParser()
        .parse(
            new SinkRecord(
                "t.public.items",
                0,
                KEY,
                new Struct(KEY).put("id", id),
                envelope,
                value,
                offset++));
  }

  @Test
  void anAddedColumnIsAddedBeforeItsFirstRowAndEarlierRowsReadNull() throws Exception {
    CommitCycle task = task(true);
    task.apply(upsert(1, "name", Schema.OPTIONAL_STRING_SCHEMA, "a"));
    task.apply(
        upsert(2, "name", Schema.OPTIONAL_STRING_SCHEMA, "b", "qty", Schema.INT32_SCHEMA, 5));
    task.commit();
    assertEquals(List.of("1|a|null", "2|b|5"), rows("id", "name", "qty"));
    assertEquals(2, table().snapshots().spliterator().estimateSize(), "no flush mixes two shapes");

    // int -> bigint widens; a dropped column stays, read as null from then on
    task.apply(upsert(3, "qty", Schema.INT64_SCHEMA, 9_000_000_000L));
    task.commit();
    assertEquals(Types.LongType.get(), table().schema().findType("qty"));
    assertEquals(List.of("1|a|null", "2|b|5", "3|null|9000000000"), rows("id", "name", "qty"));
  }

  @Test
  void onFormatV3RowsFromBeforeAnAddedColumnReadItsPostgresDefault() throws Exception {
    CommitCycle task = task(3);
    task.apply(upsert(1, "name", Schema.OPTIONAL_STRING_SCHEMA, "a"));
    task.apply(upsert(2, "name", Schema.OPTIONAL_STRING_SCHEMA, "b"));
    task.commit();
    // ALTER TABLE items ADD COLUMN ... DEFAULT ..., as Debezium reads each DEFAULT; then a row
    task.apply(upsert(3, addedWithDefaults(false)));
    task.commit();

    assertEquals(7, table().schema().findField("qty").initialDefault());
    assertEquals(
        List.of(
            "1|a|7|new|2024-01-02T03:04:05|2024-01-02|12.50|null",
            "2|b|7|new|2024-01-02T03:04:05|2024-01-02|12.50|null",
            "3|c|9|set|2025-05-05T00:00|2025-05-05|1.00|2025-05-05T00:00Z"),
        rows("id", "name", "qty", "status", "placed_at", "due", "price", "seen_at"));
    // a later row that leaves them null keeps them null: the default is only for rows before
    task.apply(upsert(4, addedWithDefaults(true)));
    task.commit();
    assertEquals("4|c|null|null", rows("id", "name", "qty", "status").get(3));
  }

  @Test
  void onFormatV2AnAddedColumnWithADefaultIsAddedAndRowsFromBeforeReadNull() throws Exception {
    CommitCycle task = task(2);
    task.apply(upsert(1, "name", Schema.OPTIONAL_STRING_SCHEMA, "a"));
    task.commit();
    task.apply(upsert(3, addedWithDefaults(false)));
    task.commit();
    assertEquals(null, table().schema().findField("qty").initialDefault());
    assertEquals(List.of("1|a|null|null", "3|c|9|set"), rows("id", "name", "qty", "status"));
  }

  /**
   * Row 3 or 4 of items after {@code ALTER TABLE items ADD COLUMN qty int NOT NULL DEFAULT 7, ADD
   * status text DEFAULT 'new', ADD placed_at timestamp DEFAULT '2024-01-02 03:04:05', ADD due date
   * DEFAULT '2024-01-02', ADD price numeric(5,2) DEFAULT 12.5, ADD seen_at timestamptz DEFAULT
   * now()}, with the defaults in Debezium's encodings (now() is its stand-in, the epoch); the new
   * columns null in row 4.
   */
  private static Object[] addedWithDefaults(boolean nulls) {
    Schema price =
        org.apache.kafka.connect.data.Decimal.builder(2)
            .optional()
            .defaultValue(new java.math.BigDecimal("12.50"))
            .build();
    return new Object[] {
      "name", Schema.OPTIONAL_STRING_SCHEMA, "c",
      "qty", SchemaBuilder.int32().optional().defaultValue(7).build(), nulls ? null : 9,
      "status", SchemaBuilder.string().optional().defaultValue("new").build(), nulls ? null : "set",
      "placed_at",
          SchemaBuilder.int64()
              .name("io.debezium.time.MicroTimestamp")
              .optional()
              .defaultValue(1_704_164_645_000_000L)
              .build(),
          nulls ? null : 1_746_403_200_000_000L,
      "due",
          SchemaBuilder.int32()
              .name("io.debezium.time.Date")
              .optional()
              .defaultValue(19_724)
              .build(),
          nulls ? null : 20_213,
      "price", price, nulls ? null : new java.math.BigDecimal("1.00"),
      "seen_at",
          SchemaBuilder.string()
              .name("io.debezium.time.ZonedTimestamp")
              .optional()
              .defaultValue("1970-01-01T00:00:00Z")
              .build(),
          nulls ? null : "2025-05-05T00:00:00Z"
    };
  }

  @Test
  void aConfiguredRenameRenamesTheIcebergColumnAndAListElementWidens() throws Exception {
    CommitCycle task =
        task(
            new SchemaEvolver(
                true,
                t -> t.equals("cdc.public_items") ? Map.of("remark", "note") : Map.of(),
                TypeChangePolicy.DEAD_LETTER));
    Schema ints = SchemaBuilder.array(Schema.OPTIONAL_INT32_SCHEMA).optional().build();
    Schema longs = SchemaBuilder.array(Schema.OPTIONAL_INT64_SCHEMA).optional().build();
    task.apply(upsert(1, "note", Schema.OPTIONAL_STRING_SCHEMA, "old", "nums", ints, List.of(1)));
    task.commit();
    task.apply(
        upsert(2, "remark", Schema.OPTIONAL_STRING_SCHEMA, "new", "nums", longs, List.of(5L)));
    task.commit();
    assertEquals(null, table().schema().findField("note"));
    assertEquals(Types.LongType.get(), table().schema().findType("nums.element"));
    assertEquals(List.of("1|old|[1]", "2|new|[5]"), rows("id", "remark", "nums"));

    // a row of the old shape, late from another partition: its note is the renamed column
    task.apply(upsert(3, "note", Schema.OPTIONAL_STRING_SCHEMA, "late", "nums", ints, List.of(3)));
    task.commit();
    assertEquals(null, table().schema().findField("note"), "not added back");
    assertEquals(List.of("1|old|[1]", "2|new|[5]", "3|late|[3]"), rows("id", "remark", "nums"));
  }

  @Test
  void nestedTypesEvolveFieldByField() throws Exception {
    CommitCycle task = task(true);
    Schema point =
        SchemaBuilder.struct().name("p1").optional().field("x", Schema.INT32_SCHEMA).build();
    Schema point2 =
        SchemaBuilder.struct()
            .name("p2")
            .optional()
            .field("x", Schema.INT64_SCHEMA)
            .field("label", Schema.OPTIONAL_STRING_SCHEMA)
            .build();
    Schema counts =
        SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.OPTIONAL_INT32_SCHEMA).optional().build();
    Schema bigCounts =
        SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.OPTIONAL_INT64_SCHEMA).optional().build();
    task.apply(
        upsert(1, "p", point, new Struct(point).put("x", 1), "counts", counts, Map.of("a", 1)));
    task.commit();
    int pointId = table().schema().findField("p").fieldId();
    task.apply(
        upsert(
            2,
            "p",
            point2,
            new Struct(point2).put("x", 5_000_000_000L).put("label", "far"),
            "counts",
            bigCounts,
            Map.of("b", 6_000_000_000L)));
    task.commit();
    assertEquals(pointId, table().schema().findField("p").fieldId(), "the same column, evolved");
    assertEquals(Types.LongType.get(), table().schema().findType("p.x"));
    assertEquals(Types.StringType.get(), table().schema().findType("p.label"));
    assertEquals(Types.LongType.get(), table().schema().findType("counts.value"));
    assertEquals(
        List.of("1|Record(1, null)|{a=1}", "2|Record(5000000000, far)|{b=6000000000}"),
        rows("id", "p", "counts"));
  }

  @Test
  void dropNotNullRelaxesARequiredColumnAndSetNotNullNeverRequiresOne() throws Exception {
    catalog.initialize("mem", Map.of());
    catalog.createNamespace(org.apache.iceberg.catalog.Namespace.of("cdc"));
    catalog.createTable(
        TableIdentifier.of("cdc", "public_items"),
        new org.apache.iceberg.Schema(
            List.of(
                Types.NestedField.required(1, "id", Types.IntegerType.get()),
                Types.NestedField.required(2, "name", Types.StringType.get())),
            java.util.Set.of(1)));
    CommitCycle task = task(true);
    task.apply(upsert(1, "name", Schema.STRING_SCHEMA, "a"));
    task.commit();
    assertTrue(table().schema().findField("name").isRequired(), "unchanged while NOT NULL");
    task.apply(upsert(2, "name", Schema.OPTIONAL_STRING_SCHEMA, null));
    task.commit();
    assertTrue(table().schema().findField("name").isOptional(), "DROP NOT NULL relaxed it");
    task.apply(upsert(3, "name", Schema.STRING_SCHEMA, "c"));
    task.commit();
    assertTrue(table().schema().findField("name").isOptional(), "SET NOT NULL requires nothing");
    assertEquals(List.of("1|a", "2|null", "3|c"), rows("id", "name"));
  }

  @Test
  void aChangeIcebergCannotRepresentIsRefusedByName() {
    CommitCycle task = task(true);
    task.apply(upsert(1, "code", Schema.OPTIONAL_STRING_SCHEMA, "x"));
    DataException e =
        assertThrows(
            DataException.class, () -> task.apply(upsert(2, "code", Schema.INT32_SCHEMA, 7)));
    assertTrue(
        e.getMessage().contains("'code'") && e.getMessage().contains("string"), e.getMessage());
  }

  @Test
  void underTheNewColumnPolicyAnIncompatibleTypeGetsAColumnOfItsOwn() throws Exception {
    CommitCycle task = task(new SchemaEvolver(true, t -> Map.of(), TypeChangePolicy.NEW_COLUMN));
    task.apply(upsert(1, "code", Schema.OPTIONAL_STRING_SCHEMA, "x"));
    task.commit();
    task.apply(upsert(2, "code", Schema.INT32_SCHEMA, 7));
    task.apply(upsert(3, "code", Schema.INT32_SCHEMA, 8));
    task.commit();
    assertEquals(Types.StringType.get(), table().schema().findType("code"), "old column kept");
    assertEquals(Types.IntegerType.get(), table().schema().findType("code__int"));
    // a late row of the old type still lands in the old column
    task.apply(upsert(4, "code", Schema.OPTIONAL_STRING_SCHEMA, "late"));
    task.commit();
    assertEquals(
        List.of("1|x|null", "2|null|7", "3|null|8", "4|late|null"),
        rows("id", "code", "code__int"));
  }

  @Test
  void underTheFailPolicyAnIncompatibleTypeFailsTheTaskNotJustTheRecord() {
    CommitCycle task = task(new SchemaEvolver(true, t -> Map.of(), TypeChangePolicy.FAIL));
    task.apply(upsert(1, "code", Schema.OPTIONAL_STRING_SCHEMA, "x"));
    ConnectException e =
        assertThrows(
            ConnectException.class, () -> task.apply(upsert(2, "code", Schema.INT32_SCHEMA, 7)));
    assertFalse(e instanceof DataException, "not a record-level error: no dead letter");
    assertTrue(e.getMessage().contains("'code'") && e.getMessage().contains("int"), e.getMessage());
  }

  @Test
  void withEvolutionOffANewShapeIsRefused() {
    CommitCycle task = task(false);
    task.apply(upsert(1, "name", Schema.OPTIONAL_STRING_SCHEMA, "a"));
    DataException e =
        assertThrows(
            DataException.class,
            () -> task.apply(upsert(2, "extra", Schema.OPTIONAL_STRING_SCHEMA, "b")));
    assertTrue(e.getMessage().contains("iceberg.tables.evolve-schema=false"), e.getMessage());
  }

  @Test
  void recordsOfAnIncompatibleTypeAreRefusedWithoutASnapshotEach() throws Exception {
    CommitCycle task = task(true); // the dead-letter policy for incompatible types
    task.apply(upsert(1, "code", Schema.OPTIONAL_STRING_SCHEMA, "a"));
    task.commit();
    long snapshot = table().currentSnapshot().snapshotId();
    task.apply(upsert(2, "code", Schema.OPTIONAL_STRING_SCHEMA, "b"));
    for (int i = 0; i < 5; i++) {
      int id = 10 + i;
      assertThrows(
          DataException.class, () -> task.apply(upsert(id, "code", Schema.INT32_SCHEMA, id)));
    }
    table().refresh();
    assertEquals(snapshot, table().currentSnapshot().snapshotId(), "no snapshot per refusal");
    task.commit();
    assertEquals(List.of("1|a", "2|b"), rows("id", "code"));
  }

  @Test
  void withEvolutionOffRefusedRecordsCommitNothingAndLeaveTheBufferWhole() throws Exception {
    CommitCycle task = task(false);
    task.apply(upsert(1, "name", Schema.OPTIONAL_STRING_SCHEMA, "a"));
    task.commit();
    long snapshot = table().currentSnapshot().snapshotId();
    task.apply(upsert(2, "name", Schema.OPTIONAL_STRING_SCHEMA, "b"));
    for (int i = 0; i < 5; i++) {
      int id = 10 + i;
      assertThrows(
          DataException.class,
          () -> task.apply(upsert(id, "extra", Schema.OPTIONAL_STRING_SCHEMA, "x")));
    }
    table().refresh();
    assertEquals(snapshot, table().currentSnapshot().snapshotId(), "no snapshot per refusal");
    task.commit();
    assertEquals(List.of("1|a", "2|b"), rows("id", "name"));
  }

  private Table table() {
    return catalog.loadTable(TableIdentifier.of("cdc", "public_items"));
  }

  private List<String> rows(String... columns) throws Exception {
    return dev.floe.sink.write.TableRows.of(table(), columns);
  }
}
