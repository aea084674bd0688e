package dev.floe.sink.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.floe.sink.event.ChangeEvent;
import dev.floe.sink.event.ChangeEvents;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.BadRequestException;
import org.apache.iceberg.exceptions.ForbiddenException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.apache.iceberg.jdbc.UncheckedSQLException;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

/**
 * A catalog that refuses a table's name refuses the records routed to it (to the dead letter
 * topic); a catalog that fails stops the task.
 */
class TableProvisionerTest {
  private static final TableIdentifier ID = TableIdentifier.of("cdc", "public_items");
  private final ChangeEvent first = ChangeEvents.event("c", 1, "a", 0);

  /** A catalog whose table creation fails as {@code failure} says. */
  private static final class FailingCatalog extends InMemoryCatalog {
    private final Supplier<RuntimeException> failure;
    final AtomicInteger creates = new AtomicInteger();

    FailingCatalog(Supplier<RuntimeException> failure) {
      this.failure = failure;
      initialize("mem", Map.of());
    }

    @Override
    public Table createTable(
        TableIdentifier id, Schema schema, PartitionSpec spec, Map<String, String> properties) {
      creates.incrementAndGet();
      throw failure.get();
    }
  }

  @Test
  void aNameTheJdbcCatalogsColumnCannotHoldIsRefusedOnceAndForAll() {
    FailingCatalog catalog =
        new FailingCatalog(
            () ->
                new UncheckedSQLException(
                    new SQLException(
                        "ERROR: value too long for type character varying(255)", "22001"),
                    "Unknown failure"));
    TableProvisioner provisioner = new TableProvisioner(catalog, true, 2);
    DataException refused =
        assertThrows(DataException.class, () -> provisioner.loadOrCreate(ID, first));
    assertTrue(
        refused.getMessage().startsWith("The Iceberg catalog refused table cdc.public_items: "),
        refused.getMessage());
    assertTrue(refused.getMessage().contains("character varying(255)"), refused.getMessage());
    assertTrue(refused.getMessage().contains("iceberg.tables.route-regex"), refused.getMessage());
    DataException again =
        assertThrows(DataException.class, () -> provisioner.loadOrCreate(ID, first));
    assertEquals(refused.getMessage(), again.getMessage());
    assertEquals(1, catalog.creates.get(), "the next record is refused without asking again");
  }

  @Test
  void aNameARestOrGlueCatalogRefusesIsRefused() {
    assertThrows(
        DataException.class,
        () ->
            new TableProvisioner(
                    new FailingCatalog(() -> new BadRequestException("Malformed table name")),
                    true,
                    2)
                .loadOrCreate(ID, first));
    assertThrows(
        DataException.class,
        () ->
            new TableProvisioner(
                    new FailingCatalog(
                        () ->
                            new ValidationException(
                                "Cannot convert table %s to a Glue table name", ID.name())),
                    true,
                    2)
                .loadOrCreate(ID, first));
  }

  @Test
  void aCatalogThatFailsStopsTheTask() {
    RuntimeException down =
        new UncheckedSQLException(
            new SQLException("Connection refused", "08001"), "Failed to connect");
    RuntimeException failure =
        assertThrows(
            RuntimeException.class,
            () ->
                new TableProvisioner(new FailingCatalog(() -> down), true, 2)
                    .loadOrCreate(ID, first));
    assertSame(down, failure);
    RuntimeException forbidden = new ForbiddenException("Forbidden: %s", "no create on cdc");
    assertSame(
        forbidden,
        assertThrows(
            RuntimeException.class,
            () ->
                new TableProvisioner(new FailingCatalog(() -> forbidden), true, 2)
                    .loadOrCreate(ID, first)));
  }
}
