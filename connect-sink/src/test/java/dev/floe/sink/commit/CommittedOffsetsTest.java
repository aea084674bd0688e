package dev.floe.sink.commit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * What is safe to hand Connect moves only with what the tables hold: reads advance nothing until
 * committed, a rewind goes back to the first record read since, and records read again (lower
 * offsets after higher ones) never move an offset back.
 */
class CommittedOffsetsTest {
  private static final TopicPartition P0 = new TopicPartition("t", 0);
  private static final TopicPartition P1 = new TopicPartition("t", 1);

  @Test
  void readsAdvanceNothingUntilCommittedAndARewindGoesBackToTheFirstReadSince() {
    CommittedOffsets offsets = new CommittedOffsets();
    for (long offset = 0; offset < 5; offset++) {
      offsets.consumed(P0, offset);
    }
    assertEquals(Map.of(), offsets.safeToCommit(), "nothing committed yet");
    offsets.allConsumedCommitted();
    assertEquals(Map.of(P0, new OffsetAndMetadata(5)), offsets.safeToCommit());

    offsets.consumed(P0, 7); // a gap: offsets 5 and 6 were not delivered (compacted away)
    offsets.consumed(P0, 6); // and one read again out of order
    offsets.consumed(P1, 3);
    assertEquals(Map.of(P0, 6L, P1, 3L), offsets.rewind(), "the first record read since");
    assertEquals(Map.of(P0, new OffsetAndMetadata(5)), offsets.safeToCommit());

    offsets.consumed(P0, 6);
    offsets.consumed(P0, 7);
    offsets.consumed(P0, 2); // a replay of what the tables hold moves nothing back
    offsets.allConsumedCommitted();
    assertEquals(Map.of(P0, new OffsetAndMetadata(8)), offsets.safeToCommit());

    offsets.forget(List.of(P0));
    assertEquals(Map.of(), offsets.safeToCommit(), "a partition gone is not handed back");
  }
}
