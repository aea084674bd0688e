package dev.floe.local;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The main class of a {@link ForkedConnectWorker}: {@code bootstrapServers pluginPath restPort
 * groupId [key=value ...]}. Runs the worker until the process is told to stop (or killed).
 */
public final class ConnectWorkerProcess {
  private ConnectWorkerProcess() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> overrides = new HashMap<>();
    for (int i = 4; i < args.length; i++) {
      String[] kv = args[i].split("=", 2);
      overrides.put(kv[0], kv[1]);
    }
    LocalConnectWorker worker =
        LocalConnectWorker.start(
            args[0], Path.of(args[1]), Integer.parseInt(args[2]), args[3], overrides);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  worker.close();
                  stopped.countDown();
                }));
    stopped.await();
  }
}
