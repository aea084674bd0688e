package dev.floe.sink.index;

import java.util.List;
import java.util.Map;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotUpdate;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableScan;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.util.PropertyUtil;

/**
 * Scans and commits that plan in the calling thread when there is little to plan. Iceberg hands a
 * scan's manifests (and a commit's manifest writes and checks) to its worker pool as soon as there
 * are two, and waits for the pool by polling: {@code ParallelIterable} and {@code Tasks} sleep 10
 * ms at a time until the work is done. A flush makes several such small plans (where its keys' rows
 * are, which deletion vectors to merge, the commit), and profiling the apply path found the task
 * asleep in those waits for about a sixth of its time. A plan of a few manifests, most often read
 * from Iceberg's manifest cache, is done sooner in the calling thread than a pool is polled.
 */
public final class SmallPlans {
  /** Manifests up to which a scan is planned in the calling thread. */
  static final int MAX_INLINE_MANIFESTS = 16;

  private static final ExecutorService CALLING_THREAD = new CallingThread();

  private SmallPlans() {}

  /**
   * A scan of {@code table} at {@code snapshot}, planned in the calling thread if small, or if its
   * manifests fit Iceberg's manifest cache (on by default in Floe's catalogs): then all but the few
   * written since the last plan are read from memory, and the pool's polling, 10 ms per wait, costs
   * more than the reads (a fill's plan on a table of 40 flushes' manifests: ~15% of the flush).
   * Only the first plan after a start reads them all, one after another.
   */
  public static TableScan scan(Table table, Snapshot snapshot) {
    TableScan scan = table.newScan().useSnapshot(snapshot.snapshotId());
    return inline(table, snapshot) ? scan.planWith(CALLING_THREAD) : scan;
  }

  /** Whether a scan of {@code snapshot} is planned in the calling thread. */
  static boolean inline(Table table, Snapshot snapshot) {
    List<ManifestFile> manifests = snapshot.allManifests(table.io());
    return manifests.size() <= MAX_INLINE_MANIFESTS || cached(table.io(), manifests);
  }

  /** Whether {@code io} keeps manifests in Iceberg's cache, and these fit it. */
  private static boolean cached(FileIO io, List<ManifestFile> manifests) {
    Map<String, String> properties;
    try {
      properties = io.properties();
    } catch (UnsupportedOperationException noProperties) {
      return false; // Iceberg's cache does not take such a FileIO either
    }
    if (!PropertyUtil.propertyAsBoolean(
        properties,
        CatalogProperties.IO_MANIFEST_CACHE_ENABLED,
        CatalogProperties.IO_MANIFEST_CACHE_ENABLED_DEFAULT)) {
      return false;
    }
    long maxLength =
        PropertyUtil.propertyAsLong(
            properties,
            CatalogProperties.IO_MANIFEST_CACHE_MAX_CONTENT_LENGTH,
            CatalogProperties.IO_MANIFEST_CACHE_MAX_CONTENT_LENGTH_DEFAULT);
    long room =
        PropertyUtil.propertyAsLong(
            properties,
            CatalogProperties.IO_MANIFEST_CACHE_MAX_TOTAL_BYTES,
            CatalogProperties.IO_MANIFEST_CACHE_MAX_TOTAL_BYTES_DEFAULT);
    long total = 0;
    for (ManifestFile manifest : manifests) {
      if (manifest.length() > maxLength) {
        return false; // never cached: read from the store at every plan
      }
      total += manifest.length();
    }
    return total <= room;
  }

  /**
   * {@code update} with its manifest work in the calling thread: a flush's commit writes one or two
   * manifests and checks the few that changed since its base.
   */
  public static <T extends SnapshotUpdate<T>> T inCallingThread(T update) {
    // Iceberg 1.12 writes new manifests on a pool of their own, set apart from the scans'
    return update.scanManifestsWith(CALLING_THREAD).writeManifestsWith(CALLING_THREAD, 1);
  }

  /** Runs each task as it is handed over; shared, so it is never shut down. */
  private static final class CallingThread extends AbstractExecutorService {
    @Override
    public void execute(Runnable task) {
      task.run();
    }

    @Override
    public void shutdown() {}

    @Override
    public List<Runnable> shutdownNow() {
      return List.of();
    }

    @Override
    public boolean isShutdown() {
      return false;
    }

    @Override
    public boolean isTerminated() {
      return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
      return false;
    }
  }
}
