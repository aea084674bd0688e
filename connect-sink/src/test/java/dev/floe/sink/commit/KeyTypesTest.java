package dev.floe.sink.commit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.floe.sink.event.ChangeEvents;
import dev.floe.sink.index.KeyIndexes;
import dev.floe.sink.schema.UnavailableValues;
import dev.floe.sink.write.TableRows;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A primary key of each kind of Postgres column, as Floe's source sends it, beside an int (a
 * composite key): two changes of one key in a flush fold, a restarted task fills an unchanged value
 * and replaces an updated row it must find, and a delete in a later flush removes the row.
 */
class KeyTypesTest {
  private enum Kind {
    NUMERIC(decimal(10, 2), "12.50", "-3.00"),
    UNCONSTRAINED_NUMERIC(
        SchemaBuilder.string().name("dev.floe.Decimal").version(1).build(),
        "123456789012345678901234567890",
        "1"),
    BYTEA(Schema.BYTES_SCHEMA, bytes(1, 2), bytes(200, 3)),
    SMALLINT(Schema.INT16_SCHEMA, (short) 3, (short) -7),
    BOOLEAN(Schema.BOOLEAN_SCHEMA, true, false),
    CHAR(Schema.STRING_SCHEMA, "ab  ", "ab"), // char(4) keeps its padding
    DATE(SchemaBuilder.int32().name("io.debezium.time.Date").version(1).build(), 20_000, -5),
    TIME(
        SchemaBuilder.int64().name("io.debezium.time.MicroTime").version(1).build(),
        1_000_000L,
        80_000_000_000L);

    final Schema type;
    final Object first;
    final Object second;

    Kind(Schema type, Object first, Object second) {
      this.type = type;
      this.first = first;
      this.second = second;
    }
  }

  private static Schema decimal(int precision, int scale) {
    return SchemaBuilder.string()
        .name("dev.floe.Decimal")
        .version(1)
        .parameter("connect.decimal.precision", String.valueOf(precision))
        .parameter("scale", String.valueOf(scale))
        .build();
  }

  private static ByteBuffer bytes(int... values) {
    byte[] bytes = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      bytes[i] = (byte) values[i];
    }
    return ByteBuffer.wrap(bytes);
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void aKeyOfEachKindFoldsIsFoundAndIsDeleted(Kind kind) throws Exception {
    InMemoryCatalog catalog = new InMemoryCatalog();
    catalog.initialize("mem", Map.of());
    List<String> refused = new ArrayList<>();
    Schema key =
        SchemaBuilder.struct()
            .name("it.public.items.Key")
            .field("k", kind.type)
            .field("n", Schema.INT32_SCHEMA)
            .build();
    Schema row =
        SchemaBuilder.struct()
            .name("it.public.items.Value")
            .optional()
            .field("k", kind.type)
            .field("n", Schema.INT32_SCHEMA)
            .field("name", Schema.OPTIONAL_STRING_SCHEMA)
            .build();
    Changes changes = new Changes(key, row);

    CommitCycle task =
        UpsertCycles.refusingTo(catalog, new KeyIndexes(true), (r, why) -> refused.add(why));
    task.apply(changes.of("c", kind.first, "one"));
    task.apply(changes.of("u", kind.first, "uno"));
    task.apply(changes.of("c", kind.second, "two"));
    task.commit();
    CommitCycle restarted =
        UpsertCycles.refusingTo(catalog, new KeyIndexes(true), (r, why) -> refused.add(why));
    restarted.apply(changes.of("u", kind.second, UnavailableValues.DEBEZIUM_DEFAULT));
    restarted.apply(changes.of("u", kind.first, "eins"));
    restarted.commit();
    assertEquals(List.of("eins", "two"), names(catalog));
    restarted.apply(changes.of("d", kind.first, null));
    restarted.commit();

    assertTrue(refused.isEmpty(), refused.toString());
    assertEquals(List.of("two"), names(catalog));
  }

  private static List<String> names(InMemoryCatalog catalog) throws Exception {
    return TableRows.of(catalog.loadTable(TableIdentifier.of("cdc", "public_items")), "name")
        .stream()
        .sorted()
        .toList();
  }

  /** Changes of rows keyed by {@code (k, n = 1)}, one offset after another. */
  private static final class Changes {
    private final Schema key;
    private final Schema row;
    private final Schema envelope;
    private long offset;

    Changes(Schema key, Schema row) {
      this.key = key;
      this.row = row;
      this.envelope = ChangeEvents.envelopeOf(row);
    }

    dev.floe.sink.event.ChangeEvent of(String op, Object k, String name) {
      Struct values = new Struct(row).put("k", k).put("n", 1);
      if (!op.equals("d")) {
        values.put("name", name);
      }
      long at = offset++;
      SinkRecord record =
          ChangeEvents.change(
              op, envelope, new Struct(key).put("k", k).put("n", 1), values, 0, at, 100 + at);
      return ChangeEvents.parse(record);
    }
  }
}
