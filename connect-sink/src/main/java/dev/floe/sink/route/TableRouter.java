package dev.floe.sink.route;

import dev.floe.sink.event.ChangeEvent;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.kafka.connect.errors.DataException;

/**
 * Decides which Iceberg table a change event belongs to: Postgres table {@code <schema>.<table>}
 * goes to {@code <namespace>.<schema>_<table>}. The names come from the event's {@code source}
 * block, so a transform that renames topics does not move data; without one, the topic's last two
 * segments stand in.
 */
public final class TableRouter {
  private final Namespace namespace;

  public TableRouter(String namespace) {
    this.namespace = Namespace.of(namespace.split("\\."));
  }

  public TableIdentifier route(ChangeEvent event) {
    String schema = event.sourceSchema();
    String table = event.sourceTable();
    if (schema == null || table == null) {
      String[] parts = event.coordinates().topic().split("\\.");
      if (parts.length < 2) {
        throw new DataException(
            "Cannot tell the source table of "
                + event.coordinates()
                + ": the event has no source block and the topic is not <prefix>.<schema>.<table>.");
      }
      schema = parts[parts.length - 2];
      table = parts[parts.length - 1];
    }
    return TableIdentifier.of(namespace, schema + "_" + table);
  }

  public Namespace namespace() {
    return namespace;
  }
}
