package dev.floe.sink.write;

import dev.floe.sink.event.SourcePosition;
import dev.floe.sink.fill.RowFills;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.WriteResult;
import org.apache.kafka.common.TopicPartition;

/**
 * The files one flush of one table wrote, and what they cover: for each Kafka partition that fed
 * the table, the next offset to read, and the largest source position applied. Committing it makes
 * all of it visible at once.
 *
 * @param table the table the files belong to
 * @param files the data and delete files written
 * @param firstOffsets per partition, the first record this flush applied
 * @param nextOffsets per partition, the offset after the last record this flush applied
 * @param watermark the largest source commit time and LSN in this flush
 * @param events how many change events the flush folded into its files
 * @param keyChangeLsns the LSNs of the primary-key changes whose old key this flush deletes
 * @param filled how many rows got values Postgres did not send, from the buffer and the table
 * @param keptAsText how many values of the flush's changes their columns could not hold, kept as
 *     text in {@code _floe_unrepresentable}
 * @param conflictFilter the rows a concurrent commit conflicts with (this flush's keys)
 * @param newKeys rows written without an equality delete: the key index knew the table did not hold
 *     their keys (a concurrent commit that may hold them makes the flush be written again) * @param
 *     deletedRows earlier rows deleted by position, found in the snapshot the flush was written
 *     against (their delete files are written at commit)
 * @param equalityDeletes keys deleted by equality: where the rows could not be found by position
 */
public record TableFlush(
    Table table,
    WriteResult files,
    Map<TopicPartition, Long> firstOffsets,
    Map<TopicPartition, Long> nextOffsets,
    SourcePosition watermark,
    int events,
    Set<Long> keyChangeLsns,
    RowFills.Counts filled,
    int keptAsText,
    org.apache.iceberg.expressions.Expression conflictFilter,
    int newKeys,
    RowPositions deletedRows,
    int equalityDeletes) {}
