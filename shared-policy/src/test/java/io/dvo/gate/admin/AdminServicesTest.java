package io.dvo.gate.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.admin.AdminException.Kind;
import io.dvo.gate.admin.PolicyAdminService.Toggle;
import io.dvo.gate.admin.QuotaAdminService.QuotaInput;
import io.dvo.gate.api.Roles;
import io.dvo.gate.identity.Principal;
import io.dvo.gate.input.Checked;
import io.dvo.gate.json.Json;
import io.dvo.gate.policy.PolicyPack;
import io.dvo.gate.policy.PolicyProblem;
import io.dvo.gate.policy.PolicyRule;
import io.dvo.gate.policy.PolicyRuleParser;
import io.dvo.gate.tenantpolicy.TenantPolicySource;
import io.dvo.gate.testing.InMemoryPolicyStore;
import io.dvo.gate.testing.InMemoryQuotaStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** The administration rules without HTTP: who may, what is valid, what is written. */
class AdminServicesTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-20T10:00:00Z"), ZoneOffset.UTC);
  private static final Principal ADMIN =
      new Principal("root", "", "Root", Set.of(Roles.ADMIN), Set.of("acme"));
  private static final Principal TENANT_ADMIN =
      new Principal("tina", "", "Tina", Set.of(Roles.TENANT_ADMIN), Set.of("acme"));
  private static final Principal STRANGER =
      new Principal("eve", "", "Eve", Set.of(Roles.ADMIN), Set.of("globex"));

  private final InMemoryPolicyStore store = new InMemoryPolicyStore();
  private final PolicyAdminService policies =
      new PolicyAdminService(
          new TenantPolicySource(
              PolicyPack.of(
                  List.of(
                      parse("{\"id\":\"mc-block\",\"name\":\"Block\",\"action\":\"deny\"}")
                          .value())),
              store),
          CLOCK);
  private final QuotaAdminService quotas =
      new QuotaAdminService(new InMemoryQuotaStore(CLOCK), CLOCK);

  private static Checked<PolicyRule, PolicyProblem> parse(String json) {
    return PolicyRuleParser.parse(tree(json), "test");
  }

  private static JsonNode tree(String json) {
    try {
      return Json.mapper().readTree(json);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static void refused(ThrowingCallable call, Kind kind) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(AdminException.class, e -> assertThat(e.kind()).isEqualTo(kind));
  }

  @Test
  void onlyAnAdminOfTheTenantAdministersItsPolicies() {
    assertThat(policies.tenant(ADMIN, null)).isEqualTo("acme");
    refused(() -> policies.tenant(STRANGER, "acme"), Kind.FORBIDDEN);
    refused(() -> policies.tenant(TENANT_ADMIN, "acme"), Kind.FORBIDDEN);
    refused(() -> policies.list(TENANT_ADMIN, "acme"), Kind.FORBIDDEN);
  }

  @Test
  void aRefusalForAMissingRoleNamesTheRoleNeededAndTheRolesHeld() {
    assertThatThrownBy(() -> policies.list(TENANT_ADMIN, "acme"))
        .isInstanceOf(AdminException.class)
        .hasMessageContaining("This needs one of the roles admin")
        .hasMessageContaining("'" + TENANT_ADMIN.id() + "' holds only tenant_admin")
        .hasMessageContaining("DVO_API_KEYS");
  }

  @Test
  void customRulesAreValidatedCreatedAndDeleted() {
    refused(
        () -> policies.create(ADMIN, "acme", tree("{\"id\":\"x\",\"action\":\"explode\"}")),
        Kind.INVALID);
    refused(
        () -> policies.create(ADMIN, "acme", tree("{\"id\":\"mc-mine\",\"action\":\"warn\"}")),
        Kind.CONFLICT);
    PolicyAdminService.Entry created =
        policies.create(
            ADMIN, "acme", tree("{\"id\":\"team-warn\",\"name\":\"Team\",\"action\":\"warn\"}"));
    assertThat(created.etag()).isNotBlank();
    assertThat(created.body())
        .containsEntry("origin", "custom")
        .containsEntry("updated_by", "root");
    assertThat(policies.list(ADMIN, "acme"))
        .extracting(e -> e.get("id"))
        .containsExactly("mc-block", "team-warn");
    refused(
        () -> policies.delete(ADMIN, "acme", "team-warn", "\"stale\""), Kind.PRECONDITION_FAILED);
    policies.delete(ADMIN, "acme", "team-warn", null);
    refused(() -> policies.get(ADMIN, "acme", "team-warn"), Kind.NOT_FOUND);
  }

  @Test
  void defaultRulesAreOnlyToggledAndSwitchingOffNeedsAReason() {
    refused(() -> policies.delete(ADMIN, "acme", "mc-block", null), Kind.CONFLICT);
    refused(
        () -> policies.toggleDefault(ADMIN, "acme", "mc-none", () -> new Toggle(false, "x"), null),
        Kind.NOT_FOUND);
    refused(
        () -> policies.toggleDefault(ADMIN, "acme", "mc-block", () -> new Toggle(false, " "), null),
        Kind.INVALID);
    PolicyAdminService.Entry off =
        policies.toggleDefault(ADMIN, "acme", "mc-block", () -> new Toggle(false, "freeze"), null);
    assertThat(off.body()).containsEntry("enabled", false).containsEntry("reason", "freeze");
  }

  @Test
  void quotaSettingsAreCheckedAndUsageDefaultsToThisMonth() {
    refused(() -> quotas.settings(STRANGER, "acme"), Kind.FORBIDDEN);
    refused(() -> quotas.settings(TENANT_ADMIN, "acme"), Kind.NOT_FOUND);
    refused(
        () -> quotas.putSettings(TENANT_ADMIN, "acme", new QuotaInput(null, -1L, null, null), null),
        Kind.INVALID);
    refused(
        () ->
            quotas.putSettings(
                TENANT_ADMIN, "acme", new QuotaInput("globex", 5L, null, null), null),
        Kind.INVALID);
    assertThat(
            quotas
                .putSettings(
                    TENANT_ADMIN, "acme", new QuotaInput(null, 50L, 10L, Map.of("eng-1", 5L)), null)
                .value()
                .monthlyBudget())
        .isEqualTo(50L);
    QuotaAdminService.QuotaUsage usage = quotas.usage(TENANT_ADMIN, "acme", null, "period");
    assertThat(usage.period()).isEqualTo("2026-11");
    assertThat(usage.remaining()).isEqualTo(50L);
    refused(() -> quotas.usage(TENANT_ADMIN, "acme", "2026-13", "period"), Kind.INVALID);
  }

  private static final Principal AUDITOR =
      new Principal("aud", "", "Aud", Set.of(Roles.AUDITOR), Set.of("acme"));

  @Test
  void calendarsAreForAdminsOfTheTenantAndWrittenWithTheirEtags() {
    CalendarAdminService calendars =
        new CalendarAdminService(new InMemoryQuotaStore(CLOCK), ZoneOffset.UTC, CLOCK);
    JsonNode body =
        tree(
            "{\"time_zone\":\"Europe/London\",\"freezes\":[{\"name\":\"release-freeze\","
                + "\"start\":\"2026-11-20T00:00\",\"end\":\"2026-11-21T00:00\"}]}");
    refused(() -> calendars.calendar(TENANT_ADMIN, "acme"), Kind.NOT_FOUND);
    refused(() -> calendars.putCalendar(STRANGER, "acme", body, null), Kind.FORBIDDEN);
    refused(() -> calendars.now(AUDITOR, "acme"), Kind.FORBIDDEN);
    refused(() -> calendars.putCalendar(ADMIN, "acme", body, "\"nope\""), Kind.PRECONDITION_FAILED);
    refused(
        () -> calendars.putCalendar(ADMIN, "acme", tree("{\"time_zone\":7}"), null), Kind.INVALID);

    var stored = calendars.putCalendar(TENANT_ADMIN, "acme", body, null);
    assertThat(calendars.calendar(ADMIN, "acme")).isEqualTo(stored);
    refused(
        () -> calendars.putCalendar(ADMIN, "acme", body, stored.etag() + "x"),
        Kind.PRECONDITION_FAILED);
    CalendarAdminService.CalendarNow now = calendars.now(ADMIN, "acme");
    assertThat(now.zone().getId()).isEqualTo("Europe/London");
    assertThat(now.facts().inFreeze()).isTrue();
    assertThat(now.facts().freezeName()).isEqualTo("release-freeze");
  }

  @Test
  void theAuditTrailIsReadByAdminsAndAuditorsOfTheTenantOnly() {
    io.dvo.gate.testing.InMemoryAuditStore trail = new io.dvo.gate.testing.InMemoryAuditStore();
    AuditReadService audit = new AuditReadService(trail);
    io.dvo.gate.audit.AuditQuery all = new io.dvo.gate.audit.AuditQuery(null, null, null, null, 10);
    assertThat(audit.page(AUDITOR, "acme", all, null).items()).isEmpty();
    assertThat(audit.verify(ADMIN, "acme").verification().intact()).isTrue();
    assertThat(audit.verify(ADMIN, "acme").anchorSequence()).isZero();
    refused(() -> audit.page(TENANT_ADMIN, "acme", all, null), Kind.FORBIDDEN);
    refused(() -> audit.verify(STRANGER, "acme"), Kind.FORBIDDEN);
    assertThatThrownBy(() -> audit.page(ADMIN, "acme", all, "not-a-continuation"))
        .isInstanceOfSatisfying(
            AdminException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(Kind.INVALID);
              assertThat(e.violations()).extracting(v -> v.path()).containsExactly("continuation");
            });
  }
}
