package dev.floe.source.preflight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.floe.source.config.SourceConfig.ToastPolicy;
import io.debezium.config.Configuration;
import io.debezium.connector.postgresql.PostgresConnectorConfig;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The checks that only look at the tables' catalog facts, on facts given here. */
class TableChecksTest {
  private static final CapturedTable KEYED =
      new CapturedTable("shop", "orders", false, 'd', true, true, false, "note:text", false, null);
  private static final CapturedTable KEYLESS =
      new CapturedTable("shop", "Audit Log", false, 'd', false, false, false, null, false, null);
  private static final CapturedTable FULL =
      new CapturedTable("shop", "events", false, 'f', false, true, false, "body:text", false, null);
  private static final CapturedTable FLAGGED =
      new CapturedTable(
          "shop",
          "flags",
          false,
          'd',
          true,
          true,
          false,
          "note:text, doc:jsonb, bits:_bool, grid:@" + ToastCheck.MULTIDIMENSIONAL,
          false,
          null);

  private static PreflightContext context(Map<String, String> props, CapturedTable... tables) {
    Configuration config = Configuration.from(props);
    return new PreflightContext(
        null,
        config,
        new PostgresConnectorConfig(config),
        "floe_source",
        false,
        List.of(tables),
        DatabaseTables.captured(List.of(tables), config));
  }

  @Test
  void aTableWithoutKeyOrFullIdentityIsRefusedWithTheFix() {
    List<Finding> findings =
        new ReplicaIdentityCheck()
            .check(context(Map.of("table.include.list", "shop\\..*"), KEYED, KEYLESS, FULL));
    assertEquals(2, findings.size(), findings.toString());
    Finding finding = findings.get(0);
    assertEquals("table.include.list", finding.key());
    assertTrue(finding.refusesStart());
    assertTrue(
        finding.message().contains("ALTER TABLE shop.\"Audit Log\" REPLICA IDENTITY FULL;"),
        finding.message());
    assertTrue(finding.message().contains("message.key.columns"), finding.message());
    // FULL without a primary key or unique index: Debezium sends no key, the sink applies none
    Finding keyless = findings.get(1);
    assertEquals(Finding.Severity.WARNING, keyless.severity());
    assertEquals("message.key.columns", keyless.key());
    assertTrue(keyless.message().contains("shop.events"), keyless.message());
  }

  @Test
  void aFullIdentityTableWithAUniqueIndexOrNamedKeyColumnsHasAKey() {
    CapturedTable unique =
        new CapturedTable("shop", "events", false, 'f', false, true, false, null, true, null);
    assertEquals(
        List.of(),
        new ReplicaIdentityCheck().check(context(Map.of("schema.include.list", "shop"), unique)));
    assertEquals(
        List.of(),
        new ReplicaIdentityCheck()
            .check(
                context(
                    Map.of("schema.include.list", "shop", "message.key.columns", "shop.events:id"),
                    FULL)));
  }

  @Test
  void anIncludeListEntryMatchingNoTableIsNamedAsDebeziumMatchesThem() {
    PreflightContext context =
        context(Map.of("table.include.list", "SHOP\\.ORD.*,shop.nosuch"), KEYED, KEYLESS);
    assertEquals(List.of(KEYED), context.captured(), "whole-name, case-insensitive regex");
    List<Finding> findings = new CapturedTablesCheck().check(context);
    assertEquals(1, findings.size(), findings.toString());
    assertTrue(findings.get(0).message().contains("'shop.nosuch'"), findings.get(0).message());
  }

  @Test
  void toastTablesAreInformationUnlessATypeArrivesAsNull() {
    PreflightContext context = context(Map.of("schema.include.list", "shop"), KEYED, FULL);
    List<Finding> findings = new ToastCheck(ToastPolicy.FAIL).check(context);
    assertEquals(1, findings.size(), "only the table without REPLICA IDENTITY FULL");
    assertEquals(Finding.Severity.INFO, findings.get(0).severity());
    assertFalse(findings.get(0).failsValidation());
    assertTrue(findings.get(0).message().contains("[note]"), findings.get(0).message());
  }

  @Test
  void columnsWhoseUnchangedValuesArriveAsNullWarnByDefaultAndBlockWhenAsked() {
    PreflightContext context = context(Map.of("schema.include.list", "shop"), FLAGGED);
    List<Finding> warned = new ToastCheck(ToastPolicy.WARN).check(context);
    assertEquals(2, warned.size(), warned.toString());
    Finding lost = warned.get(1);
    assertEquals(Finding.Severity.WARNING, lost.severity());
    assertEquals("schema.include.list", lost.key());
    assertTrue(lost.message().contains("[bits, grid]"), lost.message());
    // Floe's converter carries an int[][] column as text, the placeholder included
    List<Finding> withFloe =
        new ToastCheck(ToastPolicy.WARN)
            .check(context(Map.of("schema.include.list", "shop", "converters", "floe"), FLAGGED));
    assertTrue(withFloe.get(0).message().contains("grid"), withFloe.get(0).message());
    assertTrue(withFloe.get(1).message().contains("[bits]"), withFloe.get(1).message());
    assertTrue(lost.message().contains("REPLICA IDENTITY FULL"), lost.message());
    assertTrue(new ToastCheck(ToastPolicy.FAIL).check(context).get(1).refusesStart());

    // without Floe's converter, Debezium's own numeric sends null too
    PreflightContext plain =
        context(
            Map.of("schema.include.list", "shop", "converters", ""),
            new CapturedTable(
                "shop", "amounts", false, 'd', true, true, false, "n:numeric", false, null));
    assertEquals(
        Finding.Severity.WARNING, new ToastCheck(ToastPolicy.WARN).check(plain).get(0).severity());
  }

  @Test
  void aDomainIsJudgedByItsBaseType() {
    // a text domain gets Debezium's placeholder, a numeric one Floe's converter's; a boolean[] one
    // neither
    PreflightContext context =
        context(
            Map.of("schema.include.list", "shop"),
            new CapturedTable(
                "shop",
                "notes",
                false,
                'd',
                true,
                true,
                false,
                "t:@text, n:@numeric",
                false,
                null));
    List<Finding> findings = new ToastCheck(ToastPolicy.WARN).check(context);
    assertEquals(2, findings.size(), findings.toString());
    assertTrue(findings.get(0).message().contains("[t]"), findings.get(0).message());
    assertTrue(findings.get(1).message().contains("[n]"), findings.get(1).message());
  }

  @Test
  void columnsDebeziumCannotCarryAreNamedWithTheFix() {
    PreflightContext context =
        context(
            Map.of("schema.include.list", "shop"),
            KEYED,
            new CapturedTable(
                "shop",
                "odd",
                false,
                'd',
                true,
                true,
                false,
                null,
                false,
                "label:name, fees:money[], grid:integer[][]"));
    List<Finding> findings = new UnsupportedTypesCheck().check(context);
    assertEquals(1, findings.size(), findings.toString());
    assertEquals(Finding.Severity.WARNING, findings.get(0).severity());
    assertTrue(
        findings
            .get(0)
            .message()
            .contains("shop.odd has columns Debezium cannot carry: label:name"),
        findings.get(0).message());
    assertTrue(findings.get(0).message().contains("column.exclude.list"));
    assertTrue(findings.get(0).message().contains("converters=floe"));
    // Floe's converter carries name, money[], interval[] and the 2-D array as text
    CapturedTable odd = context.captured().get(1);
    List<Finding> withFloe =
        new UnsupportedTypesCheck()
            .check(
                context(Map.of("schema.include.list", "shop", "converters", "floe"), KEYED, odd));
    assertEquals(List.of(), withFloe);
  }

  @Test
  void unreadableTablesNameTheGrants() {
    List<Finding> findings = new TablePrivilegeCheck().check(context(Map.of(), KEYED, KEYLESS));
    assertEquals("database.user", findings.get(0).key());
    assertTrue(
        findings.get(0).message().contains("GRANT SELECT ON shop.\"Audit Log\" TO floe_source;"),
        findings.get(0).message());
  }

  @Test
  void connectionFailuresArePinnedOnTheKeyToChange() {
    Configuration config =
        Configuration.from(
            Map.of("database.hostname", "db", "database.user", "u", "database.dbname", "x"));
    assertEquals(
        "database.password",
        ConnectionFailure.describe(new SQLException("auth", "28P01"), config).key());
    assertEquals(
        "database.dbname",
        ConnectionFailure.describe(new SQLException("no db", "3D000"), config).key());
    Finding refused = ConnectionFailure.describe(new SQLException("refused", "08001"), config);
    assertEquals("database.hostname", refused.key());
    // an outage fails validation, but at start Debezium's task retries the connection
    assertTrue(refused.failsValidation());
    assertFalse(refused.refusesStart());
  }

  @Test
  void redactionMasksThePassword() {
    Finding finding = Finding.error("k", "password s3cr3t! was wrong");
    assertEquals("password ******** was wrong", finding.redact("s3cr3t!").message());
  }

  @Test
  void tablesWhoseTopicsKafkaTakesForOneAreRefusedWithTheFix() {
    CapturedTable abc =
        new CapturedTable("a", "b_c", false, 'd', true, true, false, null, false, null);
    CapturedTable abC =
        new CapturedTable("a_b", "c", false, 'd', true, true, false, null, false, null);
    List<Finding> findings =
        new TopicNameCheck()
            .check(
                context(Map.of("topic.prefix", "app", "schema.include.list", "a,a_b"), abc, abC));
    assertEquals(1, findings.size(), findings.toString());
    assertEquals(Finding.Severity.ERROR, findings.get(0).severity());
    assertEquals("schema.include.list", findings.get(0).key());
    assertTrue(
        findings
            .get(0)
            .message()
            .startsWith("Tables a.b_c and a_b.c would have topics app.a.b_c and app.a_b.c"),
        findings.get(0).message());
    assertTrue(findings.get(0).message().contains("table.exclude.list"));
    // a transform of the user's own may rename them: not checked
    assertTrue(
        new TopicNameCheck()
            .check(context(Map.of("topic.prefix", "app", "transforms", "route"), abc, abC))
            .isEmpty());
    // tables whose names Debezium makes into one topic share it: Kafka has nothing to refuse
    CapturedTable spaced =
        new CapturedTable("a", "Order Items", false, 'd', true, true, false, null, false, null);
    CapturedTable underscored =
        new CapturedTable("a", "Order_Items", false, 'd', true, true, false, null, false, null);
    assertTrue(
        new TopicNameCheck()
            .check(context(Map.of("topic.prefix", "app"), spaced, underscored))
            .isEmpty());
  }
}
