package dev.floe.sink.commit;

import java.util.Collection;
import org.apache.kafka.common.TopicPartition;

/** Hears that records of some partitions were committed to, or found already in, a table. */
@FunctionalInterface
public interface TableFeeds {
  /**
   * @param table the table's full name (catalog.namespace.table)
   */
  void fed(String table, Collection<TopicPartition> partitions);
}
