package dev.floe.sink.write;

import dev.floe.sink.event.ChangeEvent;
import dev.floe.sink.fill.FillSettings;
import dev.floe.sink.index.KeyIndexes;
import dev.floe.sink.route.TableProvisioner;
import dev.floe.sink.route.TableRouter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;

/** One writer per table this task feeds, opened on the first change routed to the table. */
public final class TableWriters {
  private final TableRouter router;
  private final TableProvisioner provisioner;
  private final int taskId;
  private final Map<TableIdentifier, TableWriter> byTable = new LinkedHashMap<>();
  private final Map<String, TableIdentifier> tableByTopic = new HashMap<>();
  private int pendingEvents;
  private long pendingBytes;

  private final WriteMode mode;
  private final Function<Table, Map<String, String>> aliases;
  private final FillSettings fill;
  private final KeyIndexes indexes;

  public TableWriters(TableRouter router, TableProvisioner provisioner, int taskId) {
    this(router, provisioner, WriteMode.UPSERT, table -> Map.of(), FillSettings.DEFAULT, taskId);
  }

  /**
   * @param aliases per table, old column names to write under their new ones (followed renames)
   * @param fill how values Postgres did not send are recognized and filled
   */
  public TableWriters(
      TableRouter router,
      TableProvisioner provisioner,
      WriteMode mode,
      Function<Table, Map<String, String>> aliases,
      FillSettings fill,
      int taskId) {
    this(router, provisioner, mode, aliases, fill, new KeyIndexes(true), taskId);
  }

  /**
   * @param indexes the key indexes of the tables (or {@link KeyIndexes#NONE})
   */
  public TableWriters(
      TableRouter router,
      TableProvisioner provisioner,
      WriteMode mode,
      Function<Table, Map<String, String>> aliases,
      FillSettings fill,
      KeyIndexes indexes,
      int taskId) {
    this.indexes = indexes;
    this.aliases = aliases;
    this.fill = fill;
    this.router = router;
    this.provisioner = provisioner;
    this.mode = mode;
    this.taskId = taskId;
  }

  /**
   * The writer of the table {@code event} belongs to, opening (or creating) it on first use; null
   * when the event only deletes or truncates and its table does not exist, so there is nothing to
   * do.
   */
  public TableWriter writerFor(ChangeEvent event) {
    TableIdentifier id = route(event);
    TableWriter writer = byTable.get(id);
    if (writer == null) {
      Table table;
      try {
        table = provisioner.loadOrCreate(id, event, router.claims());
      } catch (dev.floe.sink.route.SourceClaims.TakenException refused) {
        // a claim found taken on load: this source's route, cached, must be checked again
        router.refused(event, refused);
        tableByTopic.clear();
        throw refused;
      }
      if (table == null) {
        return null;
      }
      writer = open(table);
      byTable.put(id, writer);
    }
    return writer;
  }

  /**
   * A new writer for {@code old}'s table, on its current schema (after a schema change); {@code
   * old} must have nothing buffered.
   */
  public TableWriter reopen(TableWriter old) {
    old.table().refresh();
    TableWriter fresh = open(old.table());
    byTable.replaceAll((id, writer) -> writer == old ? fresh : writer);
    return fresh;
  }

  private TableWriter open(Table table) {
    // before its first files: a new table, one that evolved, or one written before this was set
    dev.floe.sink.schema.UuidColumnStatistics.keepOff(table);
    Map<String, String> renamed = aliases.apply(table);
    return mode == WriteMode.CHANGELOG
        ? new ChangelogTableWriter(table, renamed, fill, taskId, System.nanoTime())
        : new FoldingTableWriter(
            table,
            mode == WriteMode.SOFT_DELETE,
            renamed,
            fill,
            indexes,
            taskId,
            System.nanoTime());
  }

  /**
   * A tombstone names no table: it goes where the last change on its topic went, which is right
   * even when a transform renamed the topic.
   */
  private TableIdentifier route(ChangeEvent event) {
    String topic = event.coordinates().topic();
    if (event.sourceTable() == null && tableByTopic.containsKey(topic)) {
      return tableByTopic.get(topic);
    }
    TableIdentifier id = router.route(event);
    tableByTopic.put(topic, id);
    return id;
  }

  /** Buffers {@code event} in {@code writer}, one of this object's writers. */
  public void write(TableWriter writer, ChangeEvent event) {
    long before = writer.pendingBytes();
    writer.write(event);
    pendingEvents++;
    pendingBytes += writer.pendingBytes() - before;
  }

  /**
   * Whether tombstones delete their key. In soft-delete and changelog modes the delete itself (an
   * envelope {@code d}, a {@code __deleted} row) carries the row and its position; the tombstone
   * that follows it would only record the delete a second time, without them.
   */
  public boolean appliesTombstones() {
    return mode == WriteMode.UPSERT;
  }

  public int pendingEvents() {
    return pendingEvents;
  }

  /** An estimate of the memory all buffers take (kept as changes come: it is read per record). */
  public long pendingBytes() {
    return pendingBytes;
  }

  /** The writers with buffered changes, in the order their tables were first seen. */
  public List<TableWriter> pending() {
    List<TableWriter> pending = new ArrayList<>();
    for (TableWriter writer : byTable.values()) {
      if (writer.pendingEvents() > 0) {
        pending.add(writer);
      }
    }
    return pending;
  }

  /** {@code writer}'s flush is committed: its buffer starts again. */
  public void committed(TableWriter writer) {
    pendingEvents -= writer.pendingEvents();
    pendingBytes -= writer.pendingBytes();
    writer.committed();
  }

  /** Drops every buffer: nothing in them was committed, so Kafka redelivers it. */
  public void discardAll() {
    byTable.values().forEach(TableWriter::discard);
    pendingEvents = 0;
    pendingBytes = 0;
  }

  /**
   * Drops every buffer and every writer: the next change of each table opens it again, on its
   * current schema and key.
   */
  public void reopenAll() {
    discardAll();
    byTable.clear();
  }
}
