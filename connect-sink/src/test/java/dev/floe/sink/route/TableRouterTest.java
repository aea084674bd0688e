package dev.floe.sink.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.floe.common.debezium.Operation;
import dev.floe.sink.event.ChangeEvent;
import dev.floe.sink.event.RecordCoordinates;
import dev.floe.sink.event.SourcePosition;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

/** Source tables route to Iceberg names; a name no catalog should take is the record's problem. */
class TableRouterTest {
  private final TableRouter router = new TableRouter("cdc");

  private static ChangeEvent from(String schema, String table) {
    return new ChangeEvent(
        Operation.CREATE,
        schema,
        table,
        null,
        null,
        null,
        SourcePosition.UNKNOWN,
        new RecordCoordinates("t", 0, 1));
  }

  @Test
  void aSourceTableGoesToSchemaUnderscoreTable() {
    assertEquals(
        TableIdentifier.of("cdc", "public_orders"), router.route(from("public", "orders")));
    assertEquals(
        TableIdentifier.of("cdc", "public_Order Lines.v2"),
        router.route(from("public", "Order Lines.v2")),
        "what Postgres allows in a quoted name and no path takes apart is kept");
    String longest = "t".repeat(255 - "public_".length());
    assertEquals(
        TableIdentifier.of("cdc", "public_" + longest), router.route(from("public", longest)));
  }

  @Test
  void aNameThatWouldBreakOutOfItsFolderOrNoCatalogTakesIsRefusedWithTheFix() {
    String tooLong = "t".repeat(252); // public_ makes it 259 bytes
    for (String hostile : new String[] {"a/b", "..\\evil", "tab\tle", "nul\u0000", tooLong}) {
      DataException refused =
          assertThrows(DataException.class, () -> router.route(from("public", hostile)));
      assertTrue(
          refused.getMessage().startsWith("Source table public." + hostile + " routes to"),
          refused.getMessage());
      assertTrue(refused.getMessage().contains("iceberg.tables.route-regex"));
    }
  }

  @Test
  void aReplacementThatLeavesNoNameIsRefused() {
    TableRouter emptying = new TableRouter("cdc", "public\\.(.*)", "$1");
    DataException refused =
        assertThrows(DataException.class, () -> emptying.route(from("public", "")));
    assertTrue(refused.getMessage().contains("is empty"), refused.getMessage());
    TableRouter dots = new TableRouter("cdc", "public\\.x", "..");
    assertThrows(DataException.class, () -> dots.route(from("public", "x")));
  }

  @Test
  void aTopicNamedAsDebeziumNamesItGuessesItsTable() {
    assertEquals(
        TableIdentifier.of("cdc", "public_orders"), router.routeTopic("app.public.orders"));
    TableRouter routed = new TableRouter("cdc", "public\\.orders_(.*)", "orders");
    assertEquals(TableIdentifier.of("cdc", "orders"), routed.routeTopic("app.public.orders_2024"));
    assertEquals(null, router.routeTopic("orders"), "not <prefix>.<schema>.<table>");
    assertEquals(null, router.routeTopic("app.public.a/b"), "a name no catalog takes: no guess");
  }
}
