package dev.floe.sink.fill;

import java.util.List;
import org.apache.kafka.connect.sink.SinkRecord;

/** Where the changes of a row that cannot be completed go: the dead letter topic, or a failure. */
@FunctionalInterface
public interface Refusals {
  void refuse(List<SinkRecord> records, String reason);
}
