package dev.floe.local;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;

/**
 * A Kafka Connect worker in distributed mode, started through {@link ConnectDistributed} (what
 * {@code connect-distributed.sh} runs), loading plugins from {@code plugin.path} only.
 */
public final class LocalConnectWorker implements ConnectWorker {
  private final Connect<?> connect;
  private final URI restUrl;

  private LocalConnectWorker(Connect<?> connect, URI restUrl) {
    this.connect = connect;
    this.restUrl = restUrl;
  }

  /**
   * Starts a worker against {@code bootstrapServers} with REST on {@code restPort} (0 picks a free
   * one). {@code overrides} replace any of the defaults (a test shortens the offset flush interval,
   * say).
   */
  public static LocalConnectWorker start(
      String bootstrapServers,
      Path pluginPath,
      int restPort,
      String groupId,
      Map<String, String> overrides)
      throws IOException {
    int port = restPort > 0 ? restPort : FreePorts.pick();
    Map<String, String> props = workerProperties(bootstrapServers, pluginPath, port, groupId);
    props.putAll(overrides);
    Connect<?> connect = new ConnectDistributed().startConnect(props);
    return new LocalConnectWorker(connect, URI.create("http://127.0.0.1:" + port + "/"));
  }

  /**
   * The worker settings the local stack runs with, before a test's overrides: also what a forked
   * worker of another Kafka version gets in its properties file.
   */
  static Map<String, String> workerProperties(
      String bootstrapServers, Path pluginPath, int port, String groupId) {
    Map<String, String> props = new HashMap<>();
    props.put("bootstrap.servers", bootstrapServers);
    props.put("group.id", groupId);
    props.put("listeners", "http://127.0.0.1:" + port);
    props.put("rest.advertised.host.name", "127.0.0.1");
    props.put("plugin.path", pluginPath.toAbsolutePath().toString());
    // read META-INF/services only: half the start time of a reflective scan
    props.put("plugin.discovery", "service_load");
    props.put("config.storage.topic", groupId + "-configs");
    props.put("offset.storage.topic", groupId + "-offsets");
    props.put("status.storage.topic", groupId + "-status");
    props.put("config.storage.replication.factor", "1");
    props.put("offset.storage.replication.factor", "1");
    props.put("status.storage.replication.factor", "1");
    props.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
    props.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
    props.put("offset.flush.interval.ms", "5000");
    // a sink subscribed by topics.regex sees a topic created after it started within seconds, not 5
    // minutes
    props.put("consumer.metadata.max.age.ms", "5000");
    return props;
  }

  @Override
  public URI restUrl() {
    return restUrl;
  }

  @Override
  public void close() {
    connect.stop();
    connect.awaitStop();
  }
}
