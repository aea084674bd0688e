package dev.floe.local;

import java.net.URI;

/** A running Kafka Connect worker, in this JVM or in a process of its own. */
public interface ConnectWorker extends AutoCloseable {

  URI restUrl();

  default ConnectRestClient rest() {
    return new ConnectRestClient(restUrl());
  }

  /** Stops the worker gracefully: tasks are stopped and their offsets committed. */
  @Override
  void close();

  /** False once the worker has stopped (a forked worker's process has exited). */
  default boolean isAlive() {
    return true;
  }

  /** Stops the worker abruptly, as a crash would: a forked worker is killed, nothing is flushed. */
  default void kill() {
    close();
  }
}
