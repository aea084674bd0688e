package dev.floe.source.preflight;

import dev.floe.source.config.SourceConfig;
import io.debezium.config.Configuration;
import io.debezium.connector.postgresql.PostgresConnectorConfig;
import io.debezium.connector.postgresql.connection.PostgresConnection;
import io.debezium.util.Threads;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the database before the source captures it, for {@code validate()} and for {@code
 * start()}: the same checks, reported as errors on config keys in the first case and as a refusal
 * to start in the second. Warnings (which never block) go to the log. No message carries the
 * password.
 */
public final class Preflight {
  private static final Logger LOG = LoggerFactory.getLogger(Preflight.class);

  private Preflight() {}

  /**
   * Runs the checks and adds each blocking finding to the key it is pinned on. Returns false,
   * having done nothing, when the preflight is off or Floe's own keys do not parse (their
   * validation reports that).
   */
  public static boolean validate(Map<String, String> props, Map<String, ConfigValue> byKey) {
    try {
      if (!new SourceConfig(props).preflightEnabled()) {
        return false;
      }
    } catch (ConfigException e) {
      return false;
    }
    for (Finding finding : run(props)) {
      if (finding.failsValidation()) {
        byKey.computeIfAbsent(finding.key(), ConfigValue::new).addErrorMessage(finding.message());
      } else {
        log(finding);
      }
    }
    return true;
  }

  /**
   * Runs the checks, unless the preflight is off, and throws, listing every blocking problem, if
   * there is one.
   */
  public static void beforeStart(Map<String, String> props) {
    if (!new SourceConfig(props).preflightEnabled()) {
      LOG.info("Preflight skipped: {}=false", SourceConfig.PREFLIGHT_ENABLED);
      return;
    }
    List<Finding> findings = run(props);
    findings.stream().filter(f -> !f.refusesStart()).forEach(Preflight::log);
    List<Finding> blocking = findings.stream().filter(Finding::refusesStart).toList();
    if (!blocking.isEmpty()) {
      throw new ConnectException(
          "The database is not ready for this source connector:\n"
              + blocking.stream()
                  .map(f -> "- " + f.key() + ": " + f.message())
                  .collect(Collectors.joining("\n"))
              + "\nFix these (or set "
              + SourceConfig.PREFLIGHT_ENABLED
              + "=false to skip the checks).");
    }
  }

  static List<Finding> run(Map<String, String> props) {
    Configuration config = Configuration.from(props);
    PostgresConnectorConfig postgres = new PostgresConnectorConfig(config);
    SourceConfig floe = new SourceConfig(props);
    AtomicReference<List<Finding>> result = new AtomicReference<>();
    List<Finding> findings;
    try {
      // Bounded like Debezium's own connection check: a silent server must not hang the worker.
      Threads.runWithTimeout(
          Preflight.class,
          () -> result.set(connectAndCheck(config, postgres, checks(floe))),
          null,
          postgres.getConnectionValidationTimeout(),
          postgres.getLogicalName(),
          "floe-preflight");
      findings = result.get();
    } catch (TimeoutException e) {
      findings =
          List.of(
              Finding.unreachable(
                  PreflightKeys.HOSTNAME,
                  "Postgres at "
                      + PreflightKeys.server(config)
                      + " did not answer within "
                      + postgres.getConnectionValidationTimeout().toMillis()
                      + " ms. Check database.hostname and database.port."));
    } catch (Exception e) {
      findings =
          List.of(
              Finding.unreachable(
                  PreflightKeys.HOSTNAME, "The preflight could not run: " + e.getMessage()));
    }
    String password = config.getString(PreflightKeys.PASSWORD);
    return findings.stream().map(f -> f.redact(password)).toList();
  }

  private static void log(Finding finding) {
    if (finding.severity() == Finding.Severity.INFO) {
      LOG.info("Preflight: {}: {}", finding.key(), finding.message());
    } else {
      LOG.warn("Preflight: {}: {}", finding.key(), finding.message());
    }
  }

  static List<PreflightCheck> checks(SourceConfig floe) {
    return List.of(
        new ServerSettingsCheck(),
        new ReplicationCapacityCheck(),
        new ReplicationRoleCheck(),
        new CapturedTablesCheck(),
        new TablePrivilegeCheck(),
        new PublicationCheck(),
        new ReplicaIdentityCheck(),
        new ToastCheck(floe.toastPolicy()),
        new UnsupportedTypesCheck(),
        new TopicNameCheck());
  }

  private static List<Finding> connectAndCheck(
      Configuration config, PostgresConnectorConfig postgres, List<PreflightCheck> checks) {
    List<Finding> findings = new ArrayList<>();
    try (PostgresConnection connection =
        new PostgresConnection(postgres.getJdbcConfig(), "floe-preflight")) {
      java.sql.Connection jdbc;
      try {
        jdbc = connection.connection(false);
      } catch (SQLException e) {
        return List.of(ConnectionFailure.describe(e, config));
      }
      PreflightContext context = PreflightContext.read(jdbc, config);
      for (PreflightCheck check : checks) {
        try {
          findings.addAll(check.check(context));
        } catch (SQLException | RuntimeException e) {
          // A check that cannot look (an unusual catalog, a missing view) must not block a start
          // that may well succeed; say so in the log instead.
          findings.add(
              Finding.warning(
                  PreflightKeys.HOSTNAME,
                  check.getClass().getSimpleName() + " could not run: " + e.getMessage()));
        }
      }
    } catch (SQLException e) {
      // reading the catalog failed, or closing did after the checks ran
      findings.add(
          Finding.warning(PreflightKeys.HOSTNAME, "Preflight could not finish: " + e.getMessage()));
    }
    return findings;
  }
}
