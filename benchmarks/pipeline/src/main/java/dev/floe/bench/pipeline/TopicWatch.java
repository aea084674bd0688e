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
    if (!admin.listTopics().names().get(10, TimeUnit.SECONDS).contains(topic)) {
      return 0;
    }
    try {
      Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
      admin
          .describeTopics(List.of(topic))
          .allTopicNames()
          .get(10, TimeUnit.SECONDS)
          .get(topic)
          .partitions()
          .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
      long sum = 0;
      for (var offset : admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).values()) {
        sum += offset.offset();
      }
      return sum; // over its partitions
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
    create(topic, 1);
  }

  void create(String topic, int partitions) throws Exception {
    admin
        .createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
        .all()
        .get(30, TimeUnit.SECONDS);
  }

  /**
   * The sink consumers' largest lag over {@code partitions} partitions (Kafka's consumer metric, of
   * each task's consumer), or -1 before every partition has one.
   */
  static double recordsLag(String sink, int partitions) throws Exception {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    Set<ObjectName> names =
        server.queryNames(
            new ObjectName(
                "kafka.consumer:type=consumer-fetch-manager-metrics,client-id=connector-consumer-"
                    + sink
                    + "-*,*"),
            null);
    double largest = 0;
    int seen = 0;
    for (ObjectName name : names) {
      if (name.getKeyProperty("partition") != null) {
        // records-lag appears once the consumer has fetched from the partition
        for (MBeanAttributeInfo attribute : server.getMBeanInfo(name).getAttributes()) {
          if (attribute.getName().equals("records-lag")) {
            Object lag = server.getAttribute(name, "records-lag");
            if (!(lag instanceof Double d) || d.isNaN()) {
              return -1;
            }
            largest = Math.max(largest, d);
            seen++;
          }
        }
      }
    }
    return seen >= partitions ? largest : -1;
  }

  @Override
  public void close() {
    admin.close();
  }
}
