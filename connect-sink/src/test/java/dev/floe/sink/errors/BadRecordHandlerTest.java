package dev.floe.sink.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Where a bad record goes follows Connect's error settings, and the log and the metrics say which:
 * a record with no dead letter topic to take it is dropped, never reported as sent.
 */
class BadRecordHandlerTest {
  private static final SinkRecord RECORD =
      new SinkRecord("t.public.items", 2, null, null, null, "value", 41);
  private final List<SinkRecord> reported = new ArrayList<>();
  private final ErrantRecordReporter reporter =
      (record, error) -> {
        reported.add(record);
        return CompletableFuture.completedFuture(null);
      };
  private final AtomicInteger sent = new AtomicInteger();
  private final AtomicInteger dropped = new AtomicInteger();
  private final List<String> log = new ArrayList<>();
  private AbstractAppender appender;

  @BeforeEach
  void captureLog() {
    appender =
        new AbstractAppender("test-" + UUID.randomUUID(), null, null, true, Property.EMPTY_ARRAY) {
          @Override
          public void append(LogEvent event) {
            log.add(event.getLevel() + " " + event.getMessage().getFormattedMessage());
          }
        };
    appender.start();
    logger().addAppender(appender);
  }

  @AfterEach
  void releaseLog() {
    logger().removeAppender(appender);
  }

  private static org.apache.logging.log4j.core.Logger logger() {
    return (org.apache.logging.log4j.core.Logger) LogManager.getLogger(BadRecordHandler.class);
  }

  @Test
  void thePolicyFollowsConnectsErrorSettings() {
    assertEquals(BadRecordPolicy.FAIL, BadRecordPolicy.of(Map.of()));
    assertEquals(
        BadRecordPolicy.FAIL,
        BadRecordPolicy.of(
            Map.of("errors.tolerance", "none", "errors.deadletterqueue.topic.name", "dead")));
    assertEquals(BadRecordPolicy.DROP, BadRecordPolicy.of(Map.of("errors.tolerance", "all")));
    assertEquals(
        BadRecordPolicy.DROP,
        BadRecordPolicy.of(
            Map.of("errors.tolerance", "all", "errors.deadletterqueue.topic.name", " ")));
    assertEquals(
        BadRecordPolicy.DEAD_LETTER_TOPIC,
        BadRecordPolicy.of(
            Map.of("errors.tolerance", "ALL", "errors.deadletterqueue.topic.name", "dead")));
  }

  @Test
  void onlyAConfigThatDropsRecordsIsWarnedAbout() {
    String warning = BadRecordPolicy.warning(Map.of("errors.tolerance", "all"));
    assertTrue(warning.contains("DROPPED") && warning.contains("dropped-records-total"), warning);
    assertNull(
        BadRecordPolicy.warning(
            Map.of("errors.tolerance", "all", "errors.deadletterqueue.topic.name", "dead")));
    assertNull(BadRecordPolicy.warning(Map.of()));
  }

  @Test
  void withoutADeadLetterTopicTheRecordIsLoggedAsDroppedAndCountedSo() {
    handler(BadRecordPolicy.DROP, reporter).handle(RECORD, new DataException("bad value"));
    assertEquals(1, dropped.get());
    assertEquals(0, sent.get(), "not counted as sent to a dead letter topic");
    assertEquals(List.of(RECORD), reported, "Connect still logs it, when errors.log.enable says");
    assertEquals(1, log.size(), String.valueOf(log));
    String line = log.get(0);
    assertTrue(line.startsWith("WARN DROPPED record t.public.items-2@41"), line);
    assertTrue(line.contains("not sent anywhere") && line.contains("bad value"), line);
    assertTrue(!line.contains("Sending"), line);
  }

  @Test
  void withoutAReporterAtAllTheRecordIsStillDroppedNotFailed() {
    // Connect gives no reporter when neither a dead letter topic nor errors.log.enable is set
    handler(BadRecordPolicy.DROP, null).handle(RECORD, new DataException("bad value"));
    assertEquals(1, dropped.get());
  }

  @Test
  void withADeadLetterTopicTheRecordIsSentAndCountedSo() {
    handler(BadRecordPolicy.DEAD_LETTER_TOPIC, reporter)
        .handle(RECORD, new DataException("bad value"));
    assertEquals(List.of(RECORD), reported);
    assertEquals(1, sent.get());
    assertEquals(0, dropped.get());
    assertTrue(log.get(0).contains("to the dead letter topic"), String.valueOf(log));
  }

  @Test
  void withErrorsToleranceNoneTheTaskFailsNamingTheRecord() {
    ConnectException failure =
        assertThrows(
            ConnectException.class,
            () ->
                handler(BadRecordPolicy.FAIL, reporter)
                    .handle(RECORD, new DataException("bad value")));
    assertTrue(failure.getMessage().contains("t.public.items-2@41: bad value"));
    assertTrue(reported.isEmpty());
    assertEquals(0, sent.get() + dropped.get());
  }

  private BadRecordHandler handler(BadRecordPolicy policy, ErrantRecordReporter reporter) {
    return new BadRecordHandler(reporter, policy, sent::incrementAndGet, dropped::incrementAndGet);
  }
}
