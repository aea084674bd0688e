package dev.floe.source.capture;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which tables Postgres still updates once published: the rule the publication is kept by. */
class ReplicaIdentityTest {
  @Test
  void aTableIsPublishableOnlyWithSomethingToIdentifyItsRows() {
    assertTrue(new ReplicaIdentity('d', true, false, false).publishable(), "a primary key");
    assertFalse(new ReplicaIdentity('d', false, false, false).publishable(), "no key");
    assertTrue(new ReplicaIdentity('f', false, false, false).publishable(), "FULL");
    assertTrue(new ReplicaIdentity('i', false, true, false).publishable(), "an identity index");
    assertFalse(new ReplicaIdentity('i', false, false, false).publishable(), "its index dropped");
    assertFalse(new ReplicaIdentity('n', true, false, false).publishable(), "NOTHING");
    assertTrue(
        new ReplicaIdentity('d', false, false, true).publishable(),
        "a partitioned table: its partitions answer for themselves");
  }
}
