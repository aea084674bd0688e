package dev.floe.sink.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {

  @Test
  void classifiesByTheCauseChain() {
    assertTrue(ErrorClassifier.isRetriable(new RuntimeException(new IOException("reset"))));
    assertTrue(
        ErrorClassifier.isRetriable(
            software.amazon.awssdk.core.exception.SdkClientException.create("refused")));
    assertFalse(ErrorClassifier.isRetriable(new DataException("bad value")));
    assertFalse(ErrorClassifier.isRetriable(new ValidationException("conflict")));
  }

  @Test
  void retriesPassingFailuresUntilTheySucceed() {
    AtomicInteger calls = new AtomicInteger();
    new RetryBudget(10_000)
        .run(
            "flaky",
            () -> {
              if (calls.incrementAndGet() < 3) {
                throw new UncheckedIOException(new IOException("S3 unavailable"));
              }
            });
    assertEquals(3, calls.get());
  }

  @Test
  void aLostCommitRaceIsRetriedSoonAndOftenWithinTheBudget() {
    // outages back off up to 10 s; races at most a second (plus jitter): ~8 attempts in 6 s
    AtomicInteger calls = new AtomicInteger();
    long started = System.currentTimeMillis();
    ConnectException spent =
        assertThrows(
            ConnectException.class,
            () ->
                new RetryBudget(6_000)
                    .run(
                        "racing",
                        () -> {
                          calls.incrementAndGet();
                          throw new org.apache.iceberg.exceptions.CommitFailedException(
                              "table changed while committing");
                        }));
    assertTrue(spent.getMessage().contains("kept failing for 6000 ms"), spent.getMessage());
    assertTrue(calls.get() >= 6, "attempts: " + calls.get());
    assertTrue(System.currentTimeMillis() - started < 7_500);
    assertTrue(
        ErrorClassifier.isCommitRace(
            new ConnectException(new org.apache.iceberg.exceptions.CommitFailedException("x"))));
    assertFalse(ErrorClassifier.isCommitRace(new UncheckedIOException(new IOException("S3"))));
  }

  @Test
  void failsLoudlyOnceTheBudgetIsSpentAndAtOnceOnLastingFailures() {
    ConnectException spent =
        assertThrows(
            ConnectException.class,
            () ->
                new RetryBudget(300)
                    .run(
                        "always down",
                        () -> {
                          throw new UncheckedIOException(new IOException("down"));
                        }));
    assertTrue(spent.getMessage().contains("commit.retry.timeout.ms"), spent.getMessage());

    AtomicInteger calls = new AtomicInteger();
    assertThrows(
        DataException.class,
        () ->
            new RetryBudget(10_000)
                .run(
                    "bad",
                    () -> {
                      calls.incrementAndGet();
                      throw new DataException("bad value");
                    }));
    assertEquals(1, calls.get());
  }
}
