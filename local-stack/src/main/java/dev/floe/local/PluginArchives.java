package dev.floe.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** Unpacks plugin archives into a folder that a Connect worker uses as its {@code plugin.path}. */
public final class PluginArchives {
  private PluginArchives() {}

  /**
   * Empties {@code pluginPath} and unpacks each archive into it, as an operator would. A folder (a
   * plugin already unpacked, such as a converter's jars) is copied in under its own name.
   */
  public static void install(Path pluginPath, Path... archives) throws IOException {
    deleteRecursively(pluginPath);
    Files.createDirectories(pluginPath);
    for (Path archive : archives) {
      if (Files.isDirectory(archive)) {
        copyFolder(archive, pluginPath.resolve(archive.getFileName().toString()));
        continue;
      }
      if (!Files.isRegularFile(archive)) {
        throw new IOException(
            "Plugin archive " + archive + " is missing: build it with ./mvnw package");
      }
      unzip(archive, pluginPath);
    }
  }

  private static void unzip(Path archive, Path into) throws IOException {
    try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(archive))) {
      for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
        Path target = into.resolve(entry.getName()).normalize();
        if (!target.startsWith(into)) {
          throw new IOException("Archive entry " + entry.getName() + " escapes " + into);
        }
        if (entry.isDirectory()) {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          copy(zip, target);
        }
      }
    }
  }

  private static void copyFolder(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path p : paths.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  private static void copy(InputStream in, Path target) throws IOException {
    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
