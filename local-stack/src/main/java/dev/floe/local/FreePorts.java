package dev.floe.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free loopback ports, for servers that must be told their port before they start.
 *
 * <p>Picked below the ephemeral range (Linux hands out 32768-60999, macOS 49152-65535): a port the
 * system chose for a listening socket comes from that range, and between the pick and the server's
 * bind any outgoing connection (the worker's to Postgres, the broker's to itself) could be given it
 * as its local port, so the server then failed to bind (seen in CI: S3Proxy, twice in one run).
 * Ports below it are only taken by a server asking for that very port.
 */
public final class FreePorts {
  private static final int LOWEST = 20_000;
  private static final int BELOW = 32_768;
  // not handed out twice by this JVM: a pick is not bound until its server starts
  private static final Set<Integer> PICKED = new HashSet<>();

  private FreePorts() {}

  public static synchronized int pick() {
    for (int attempt = 0; attempt < 1_000; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(LOWEST, BELOW);
      if (!PICKED.contains(port) && free(port)) {
        PICKED.add(port);
        return port;
      }
    }
    throw new IllegalStateException(
        "no free loopback port between " + LOWEST + " and " + BELOW + " after 1,000 tries");
  }

  private static boolean free(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
      return true;
    } catch (IOException taken) {
      return false;
    }
  }
}
