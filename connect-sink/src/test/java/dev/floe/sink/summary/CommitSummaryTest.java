package dev.floe.sink.summary;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class CommitSummaryTest {

  @Test
  void roundTripsTopicsWithDotsSlashesAndDashes() {
    Map<TopicPartition, Long> offsets =
        Map.of(
            new TopicPartition("shop.public.orders", 0), 12L,
            new TopicPartition("shop.public.orders", 11), 7L,
            new TopicPartition("a-b_c/d", 3), 0L);
    String encoded = CommitSummary.encode(offsets);
    assertEquals("a-b_c/d/3=0,shop.public.orders/0=12,shop.public.orders/11=7", encoded);
    assertEquals(offsets, CommitSummary.decode(encoded));
  }
}
