package dev.floe.sink;

import dev.floe.common.FloeVersion;
import dev.floe.sink.commit.CommitClock;
import dev.floe.sink.commit.CommitCycle;
import dev.floe.sink.commit.CommitCycleBuilder;
import dev.floe.sink.commit.HeldPartitions;
import dev.floe.sink.config.CatalogLoader;
import dev.floe.sink.config.SinkConfig;
import dev.floe.sink.errors.BadRecordHandler;
import dev.floe.sink.errors.BadRecordPolicy;
import dev.floe.sink.errors.RetryBudget;
import dev.floe.sink.event.ChangeEvent;
import dev.floe.sink.event.ChangeEventParser;
import dev.floe.sink.event.RecordCoordinates;
import dev.floe.sink.fill.CommittedRowCache;
import dev.floe.sink.fill.TableScanRows;
import dev.floe.sink.maintain.TableMaintainer;
import dev.floe.sink.metrics.SinkMetrics;
import dev.floe.sink.route.SourceClaims;
import dev.floe.sink.route.TableProvisioner;
import dev.floe.sink.route.TableRouter;
import dev.floe.sink.schema.SchemaEvolver;
import dev.floe.sink.write.TableWriters;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adapts Connect's sink calls to Floe's pieces: records are parsed ({@code event}), routed and
 * buffered per table ({@code route}, {@code write}), and committed on time or size ({@code
 * commit}).
 */
public class IcebergCdcSinkTask extends SinkTask {
  private static final Logger LOG = LoggerFactory.getLogger(IcebergCdcSinkTask.class);
  private final ChangeEventParser parser = new ChangeEventParser();
  private Catalog catalog;
  private CommitCycle cycle;
  private CommitClock clock;
  private TableMaintainer maintainer;
  private TableRouter router;
  private BadRecordHandler badRecords;
  private SinkMetrics metrics;
  // partitions closed without a commit, with the offset to read them again from
  private final Map<TopicPartition, Long> readAgain = new HashMap<>();
  private final HeldPartitions held = new HeldPartitions();

  /** The task's number among the connector's tasks (set by the connector; Connect has no API). */
  static final String TASK_ID = "floe.task.id";

  @Override
  public String version() {
    return FloeVersion.get();
  }

  @Override
  public void start(Map<String, String> props) {
    SinkConfig config = new SinkConfig(props);
    String connector = props.getOrDefault("name", "floe-iceberg-sink");
    catalog = CatalogLoader.load(config);
    metrics =
        SinkMetrics.of(context, connector, Integer.parseInt(props.getOrDefault(TASK_ID, "0")));
    String dropping = BadRecordPolicy.warning(props);
    if (dropping != null) {
      LOG.warn("Connector {}: {}", connector, dropping);
    }
    badRecords =
        new BadRecordHandler(
            errantRecordReporter(),
            BadRecordPolicy.of(props),
            metrics::deadLettered,
            metrics::dropped);
    SchemaEvolver evolver =
        new SchemaEvolver(config.evolveSchema(), config::columnRenames, config.typeChangePolicy());
    dev.floe.sink.index.KeyIndexes keyIndexes = config.keyIndexes();
    metrics.keyIndexes(keyIndexes);
    router =
        new TableRouter(
            config.namespace(),
            config.routeRegex(),
            config.routeReplacement(),
            SourceClaims.of(catalog));
    TableWriters writers =
        new TableWriters(
            router,
            new TableProvisioner(
                catalog,
                config.autoCreate(),
                config.formatVersion(),
                config.tableProperties(),
                config::partitionBy,
                config.writeMode()),
            config.writeMode(),
            evolver::aliasesFor,
            config.fillSettings(),
            keyIndexes,
            ThreadLocalRandom.current().nextInt(1 << 20));
    maintainer = new TableMaintainer(catalog, config.maintenance(), metrics::maintained);
    cycle =
        CommitCycleBuilder.of(writers, connector)
            .flushMaxRecords(config.flushMaxRecords())
            .flushMaxBytes(config.flushMaxBytes())
            .retries(new RetryBudget(config.commitRetryTimeoutMs()))
            .evolver(evolver)
            .metrics(metrics)
            .committedRows(
                new CommittedRowCache(
                    new TableScanRows(metrics::lookedUp), config.fillSettings().cacheMaxBytes()))
            .refusals(this::refuse)
            .feeds(maintainer::fed)
            .build();
    clock =
        new CommitClock(
            connector + "-commit-clock", config.commitIntervalMs(), cycle::commitOnTime);
  }

  /** The changes of a row that cannot be completed: as any record the sink cannot apply. */
  private void refuse(List<SinkRecord> records, String reason) {
    for (SinkRecord record : records) {
      badRecords.handle(record, new DataException(reason));
      metrics.unfilled();
    }
  }

  @Override
  public void put(Collection<SinkRecord> records) {
    clock.raiseFailure();
    held.releaseDue(context);
    // per partition, the offset to read again from: the rest of the batch is not applied
    Map<TopicPartition, Long> readFrom = new HashMap<>(held.offsets());
    againAfterDroppedBuffer(readFrom);
    for (SinkRecord record : records) {
      if (!readFrom.isEmpty()) {
        RecordCoordinates at = RecordCoordinates.of(record);
        if (readFrom.containsKey(at.topicPartition())) {
          continue; // comes again, after the records before it
        }
      }
      try {
        ChangeEvent event = parser.parse(record);
        if (event == null) {
          cycle.consumed(RecordCoordinates.of(record));
        } else if (!cycle.apply(event)) {
          LOG.debug("Holding {} back until what came before it is committed", event.coordinates());
          held.hold(event.coordinates().topicPartition(), event.coordinates().offset());
          readFrom.put(event.coordinates().topicPartition(), event.coordinates().offset());
        }
      } catch (DataException unusable) {
        badRecords.handle(record, unusable);
        cycle.consumed(RecordCoordinates.of(record));
      }
      againAfterDroppedBuffer(readFrom);
    }
    readFrom.keySet().retainAll(context.assignment());
    if (!readFrom.isEmpty()) {
      context.offset(readFrom); // Connect seeks before its next poll
    }
    held.pauseHeld(context);
  }

  /**
   * After a commit found the buffer older than the table (another task committed these partitions
   * further), the buffer was dropped: its partitions are read again from their first record not
   * committed, and so is the rest of this batch.
   */
  private void againAfterDroppedBuffer(Map<TopicPartition, Long> readFrom) {
    if (!cycle.mustReadAgain()) {
      return; // the usual case, checked after every record
    }
    cycle
        .takeReadAgain()
        .forEach((partition, offset) -> readFrom.merge(partition, offset, Math::min));
  }

  @Override
  public Map<TopicPartition, OffsetAndMetadata> preCommit(
      Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
    clock.raiseFailure();
    return cycle.safeOffsets();
  }

  @Override
  public void open(Collection<TopicPartition> partitions) {
    cycle.assigned();
    held.assigned(partitions, context);
    for (TopicPartition partition : partitions) {
      // the maintenance of a table moves with partition 0 of its topic, before any new record
      TableIdentifier table = router.routeTopic(partition.topic());
      if (table != null) {
        maintainer.assigned(table, partition);
      }
    }
    Map<TopicPartition, Long> back = new HashMap<>(readAgain);
    back.keySet().retainAll(partitions);
    if (!back.isEmpty()) {
      LOG.info("Reading {} again from {}", partitions, back);
      context.offset(back); // Connect applies it right after this call
    }
    readAgain.clear(); // the others moved to other tasks, which read from the committed offsets
  }

  @Override
  public void close(Collection<TopicPartition> partitions) {
    // commit what was read from the partitions before they move to another task; if a row waits
    // for another task's commit, commit nothing: what this task keeps is read again now, and a
    // revoked partition that comes back to it in the same rebalance is read again when it does
    // (its consumer position is not reset)
    readAgain.putAll(cycle.commitOrRewind());
    if (!readAgain.isEmpty()) {
      LOG.info(
          "Closing {} without a commit (a row waits for another task): reading {} again",
          partitions,
          readAgain);
    }
    cycle.forget(partitions);
    held.revoked(partitions, context);
    maintainer.revoked(partitions);
    Map<TopicPartition, Long> kept = new HashMap<>(readAgain);
    kept.keySet().removeAll(partitions);
    if (!kept.isEmpty()) {
      context.offset(kept);
      readAgain.keySet().removeAll(kept.keySet());
    }
  }

  private ErrantRecordReporter errantRecordReporter() {
    try {
      return context.errantRecordReporter();
    } catch (NoSuchMethodError | NoClassDefFoundError olderWorker) {
      return null; // a worker before Kafka 2.6 has no dead letter queue for sink tasks
    }
  }

  @Override
  public void stop() {
    if (clock != null) {
      clock.close();
    }
    if (maintainer != null) {
      maintainer.close();
    }
    if (metrics != null) {
      metrics.close();
    }
    if (catalog instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        LOG.warn("Closing the Iceberg catalog failed", e);
      }
    }
  }
}
