package dev.floe.bench.pipeline;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * What a run reads from Kafka: a topic's end offset and bytes on disk (the broker's admin API), a
 * sink consumer's lag (the consumer's JMX metric in this JVM's worker); and the control topic
 * Apache's sink needs created.
 */
final class TopicWatch implements AutoCloseable {
  private final Admin admin;

  TopicWatch(String bootstrapServers) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    this.admin = Admin.create(props);
  }

  long endOffset(String topic) throws Exception {
    TopicPartition partition = new TopicPartition(topic, 0);
    if (!admin.listTopics().names().get(10, TimeUnit.SECONDS).contains(topic)) {
      return 0;
    }
    try {
      return admin
          .listOffsets(Map.of(partition, OffsetSpec.latest()))
          .partitionResult(partition)
          .get(10, TimeUnit.SECONDS)
          .offset();
    } catch (ExecutionException notYet) {
      return 0;
    }
  }

  long topicBytes(String topic) throws Exception {
    List<Integer> brokers =
        admin.describeCluster().nodes().get().stream().map(n -> n.id()).toList();
    return admin.describeLogDirs(brokers).allDescriptions().get().values().stream()
        .flatMap(dirs -> dirs.values().stream())
        .flatMap(dir -> dir.replicaInfos().entrySet().stream())
        .filter(e -> e.getKey().topic().equals(topic))
        .mapToLong(e -> e.getValue().size())
        .sum();
  }

  /** A one-partition topic (the broker does not create topics on first use). */
  void create(String topic) throws Exception {
    admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
  }

  /**
   * The sink consumer's lag on its partition (Kafka's consumer metric), or -1 before it has one.
   */
  static double recordsLag(String sink) throws Exception {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    Set<ObjectName> names =
        server.queryNames(
            new ObjectName(
                "kafka.consumer:type=consumer-fetch-manager-metrics,client-id=connector-consumer-"
                    + sink
                    + "-0,*"),
            null);
    for (ObjectName name : names) {
      if (name.getKeyProperty("partition") != null) {
        // records-lag appears once the consumer has fetched from the partition
        for (MBeanAttributeInfo attribute : server.getMBeanInfo(name).getAttributes()) {
          if (attribute.getName().equals("records-lag")) {
            Object lag = server.getAttribute(name, "records-lag");
            return lag instanceof Double d && !d.isNaN() ? d : -1;
          }
        }
      }
    }
    return -1;
  }

  @Override
  public void close() {
    admin.close();
  }
}
