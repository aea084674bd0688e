package dev.floe.local;

import java.net.URI;

/** Where a Postgres database is and how to log in, as the connectors' settings need it. */
public record PostgresEndpoint(
    String host, int port, String user, String password, String database) {

  /** Parses {@code postgresql://user:password@host:port/database} (the libpq URL form). */
  public static PostgresEndpoint parse(String url) {
    URI uri = URI.create(url.startsWith("jdbc:") ? url.substring(5) : url);
    if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
      throw new IllegalArgumentException(
          "--postgres-url must look like postgresql://user:password@host:port/db");
    }
    String[] userInfo =
        uri.getUserInfo() == null ? new String[] {"postgres", ""} : uri.getUserInfo().split(":", 2);
    String database =
        uri.getPath() == null || uri.getPath().length() < 2
            ? "postgres"
            : uri.getPath().substring(1);
    return new PostgresEndpoint(
        uri.getHost(),
        uri.getPort() > 0 ? uri.getPort() : 5432,
        userInfo[0],
        userInfo.length > 1 ? userInfo[1] : "",
        database);
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  /** For printing: the URL without the password. */
  @Override
  public String toString() {
    return "postgresql://" + user + "@" + host + ":" + port + "/" + database;
  }
}
