package dev.floe.sink.maintain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.ManifestContent;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.ReachableFileUtil;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.SupportsBulkOperations;
import org.apache.iceberg.io.SupportsPrefixOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the files under a table's location that nothing references any more: no snapshot's
 * manifest list, manifest, data or delete file, no metadata or statistics file. A worker killed
 * between writing a flush's files and committing them leaves such files, as does a compaction that
 * lost its race and could not clean up. Only files older than the margin are deleted: a commit
 * still under way (this sink's, another engine's) has written files nothing references yet.
 *
 * <p>Paths are compared without scheme and authority ({@code s3://} and {@code s3a://} name the
 * same object), and a listing in which no referenced file is found deletes nothing: that is a
 * location mismatch, not a table made of orphans.
 */
final class OrphanFiles {
  private static final Logger LOG = LoggerFactory.getLogger(OrphanFiles.class);

  private OrphanFiles() {}

  /** Deletes the orphans older than {@code minAgeMs}; returns how many. */
  static int run(Table table, long minAgeMs, long nowMs) {
    if (!(table.io() instanceof SupportsPrefixOperations listing)) {
      LOG.debug("{}: its FileIO cannot list files; orphan files are not cleaned", table.name());
      return 0;
    }
    Set<String> referenced = referenced(table);
    long cutoff = nowMs - minAgeMs;
    List<String> orphans = new ArrayList<>();
    int found = 0;
    for (FileInfo file : listing.listPrefix(table.location())) {
      if (referenced.contains(pathOf(file.location()))) {
        found++;
      } else if (file.createdAtMillis() < cutoff) {
        orphans.add(file.location());
      }
    }
    if (found == 0) {
      LOG.warn(
          "{}: none of its referenced files was listed under {}; deleting no orphan file",
          table.name(),
          table.location());
      return 0;
    }
    if (!orphans.isEmpty()) {
      if (table.io() instanceof SupportsBulkOperations bulk) {
        bulk.deleteFiles(orphans);
      } else {
        orphans.forEach(table.io()::deleteFile);
      }
      LOG.info("Deleted {} orphan files of {}", orphans.size(), table.name());
    }
    return orphans.size();
  }

  /** Every file the table's metadata references, as {@link #pathOf} gives it. */
  private static Set<String> referenced(Table table) {
    Set<String> paths = new HashSet<>();
    ReachableFileUtil.metadataFileLocations(table, false).forEach(p -> paths.add(pathOf(p)));
    paths.add(pathOf(ReachableFileUtil.versionHintLocation(table)));
    ReachableFileUtil.statisticsFilesLocations(table).forEach(p -> paths.add(pathOf(p)));
    Set<String> manifests = new HashSet<>();
    for (Snapshot snapshot : table.snapshots()) {
      if (snapshot.manifestListLocation() != null) {
        paths.add(pathOf(snapshot.manifestListLocation()));
      }
      for (ManifestFile manifest : snapshot.allManifests(table.io())) {
        if (manifests.add(manifest.path())) {
          paths.add(pathOf(manifest.path()));
          filesOf(table, manifest).forEach(p -> paths.add(pathOf(p)));
        }
      }
    }
    return paths;
  }

  private static List<String> filesOf(Table table, ManifestFile manifest) {
    List<String> files = new ArrayList<>();
    try (CloseableIterable<? extends ContentFile<?>> entries =
        manifest.content() == ManifestContent.DATA
            ? ManifestFiles.read(manifest, table.io(), table.specs())
            : ManifestFiles.readDeleteManifest(manifest, table.io(), table.specs())) {
      entries.forEach(file -> files.add(file.location()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }

  /** The path of a location, without its scheme and authority. */
  static String pathOf(String location) {
    try {
      String path = URI.create(location).getPath();
      return path == null ? location : path.replaceAll("/+", "/");
    } catch (IllegalArgumentException notAUri) {
      return location.replaceAll("/+", "/");
    }
  }
}
