package dev.floe.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * Makes an embedded Postgres check passwords, as a real server does: zonky's initdb trusts every
 * login, so a wrong password would pass and a role's password would mean nothing. The superuser
 * keeps trusted logins (the stack and the Iceberg catalog use it); every other role must give its
 * password.
 */
final class PasswordLogins {
  private static final String RULES =
      """
      local all all trust
      host all postgres 127.0.0.1/32 trust
      host all postgres ::1/128 trust
      host all all 127.0.0.1/32 scram-sha-256
      host all all ::1/128 scram-sha-256
      """;

  private PasswordLogins() {}

  /** Rewrites the server's pg_hba.conf through {@code superuser} and reloads it. */
  static void require(Connection superuser) throws Exception {
    try (Statement st = superuser.createStatement()) {
      String hbaFile;
      try (ResultSet rs = st.executeQuery("show hba_file")) {
        rs.next();
        hbaFile = rs.getString(1);
      }
      Files.writeString(Path.of(hbaFile), RULES);
      st.execute("select pg_reload_conf()");
    }
    // The reload is a signal: wait until an unknown login is asked for its password (28P01) rather
    // than let in up to the role check (28000).
    String url = superuser.getMetaData().getURL();
    Waits.until(
        Duration.ofSeconds(30),
        "pg_hba.conf reloaded",
        () -> refusal(url).equals("28P01"),
        () -> refusal(url));
  }

  private static String refusal(String url) {
    try (Connection ignored = DriverManager.getConnection(url, "no_such_role", "x")) {
      return "let in";
    } catch (SQLException e) {
      return String.valueOf(e.getSQLState());
    }
  }
}
