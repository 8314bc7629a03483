package io.dvo.gate.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.api.ApprovalStatus;
import io.dvo.gate.api.GateDecision;
import io.dvo.gate.api.GateOutcome;
import io.dvo.gate.api.QuotaView;
import io.dvo.gate.api.Reason;
import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.client.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StepResultsTest {
  @Test
  void anApprovedRunReturnsItsApproversAndQuota() {
    ApprovalRecord approval =
        Fixtures.record(
            ApprovalStatus.APPROVED,
            List.of(Fixtures.approve("Ann"), Fixtures.reject("Zed", "x"), Fixtures.approve("Bob")));

    Map<String, Object> m = StepResults.toMap(Fixtures.allow(), approval);

    assertThat(m)
        .containsOnlyKeys("decision", "approvalId", "approvers", "reasons", "warnings", "quota");
    assertThat(m.get("decision")).isEqualTo("allow");
    assertThat(m.get("approvalId")).isEqualTo("apr-1");
    assertThat(m.get("approvers")).isEqualTo(List.of("Ann", "Bob"));
    @SuppressWarnings("unchecked")
    Map<String, Object> quota = (Map<String, Object>) m.get("quota");
    assertThat(quota)
        .containsEntry("period", "2026-11")
        .containsEntry("budget", 100L)
        .containsEntry("used", 40L)
        .containsEntry("estimate", 12L)
        .containsEntry("remaining", 60L)
        .containsEntry("remainingAfter", 48L)
        .containsEntry("perPlanCap", 50L)
        .doesNotContainKeys("per_plan_cap", "approval_id");
  }

  @Test
  void aDenialReturnsItsReasonsWithRuleIds() {
    Map<String, Object> m =
        StepResults.toMap(
            Fixtures.decision(GateOutcome.DENY, List.of(new Reason("r1", "no"))), null);

    assertThat(m.get("decision")).isEqualTo("deny");
    assertThat(m.get("approvalId")).isNull();
    assertThat(m.get("approvers")).isEqualTo(List.of());
    assertThat(m.get("reasons")).isEqualTo(List.of("r1: no"));
  }

  @Test
  void aPendingDecisionCarriesItsApprovalId() {
    Map<String, Object> m =
        StepResults.toMap(Fixtures.decision(GateOutcome.PENDING_APPROVAL, List.of()), null);

    assertThat(m.get("approvalId")).isEqualTo("apr-1");
  }

  @Test
  void aRunAnEngagementWindowCoveredCarriesTheWindowsApprovalId() {
    GateDecision covered =
        Fixtures.allow()
            .withWindow(
                new io.dvo.gate.api.WindowInfo(
                    "apr_window",
                    "eng-1",
                    java.time.Instant.parse("2026-11-10T08:00:00Z"),
                    java.time.Instant.parse("2026-11-12T18:00:00Z"),
                    50L,
                    12,
                    38L,
                    "https://gate/api/v1/approvals/acme/apr_window",
                    "https://gate/api/v1/approvals/acme/apr_window/review"));

    assertThat(StepResults.toMap(Fixtures.allow(), null).get("approvalId")).isNull();
    assertThat(StepResults.toMap(covered, null).get("approvalId")).isEqualTo("apr_window");
  }

  @Test
  void remainingAfterIsWhatIsLeftOnceThisRunIsCharged() {
    // The gate reports the position before this run: 40 of 100 used, the run costs 12.
    Map<String, Object> allowed = StepResults.toMap(Fixtures.allow(), null);
    Map<String, Object> denied =
        StepResults.toMap(
            Fixtures.decision(GateOutcome.DENY, List.of(new Reason("r", "no"))), null);

    assertThat(quota(allowed)).containsEntry("remaining", 60L).containsEntry("remainingAfter", 48L);
    assertThat(quota(denied)).containsEntry("remaining", 60L).containsEntry("remainingAfter", 60L);
  }

  @Test
  void remainingAfterNeverGoesBelowZeroAndIsNullWithoutABudget() {
    GateDecision over = withQuota(new QuotaView("2026-11", 100L, 95L, 12L, 5L, null));
    GateDecision unlimited = withQuota(new QuotaView("2026-11", null, 95L, 12L, null, null));

    assertThat(quota(StepResults.toMap(over, null))).containsEntry("remainingAfter", 0L);
    assertThat(quota(StepResults.toMap(unlimited, null))).containsEntry("remainingAfter", null);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> quota(Map<String, Object> result) {
    return (Map<String, Object>) result.get("quota");
  }

  private static GateDecision withQuota(QuotaView q) {
    GateDecision d = Fixtures.allow();
    return new GateDecision(
        d.decision(),
        d.tenantId(),
        d.idempotencyKey(),
        d.evaluatedAt(),
        d.reasons(),
        d.warnings(),
        d.matchedRules(),
        q,
        d.plan(),
        d.approval(),
        d.trace());
  }

  @Test
  void everyValueIsAPlainSerialisableJavaType() throws Exception {
    ApprovalRecord approval =
        Fixtures.record(ApprovalStatus.APPROVED, List.of(Fixtures.approve("Ann")));
    Map<String, Object> m = StepResults.toMap(Fixtures.allow(), approval);

    assertPlain(m);
    try (ObjectOutputStream out = new ObjectOutputStream(new ByteArrayOutputStream())) {
      out.writeObject(m);
    }
  }

  private static void assertPlain(Object value) {
    if (value == null) {
      return;
    }
    assertThat(value.getClass())
        .isIn(String.class, Long.class, Boolean.class, ArrayList.class, LinkedHashMap.class);
    if (value instanceof Map<?, ?> map) {
      map.values().forEach(StepResultsTest::assertPlain);
    } else if (value instanceof List<?> list) {
      list.forEach(StepResultsTest::assertPlain);
    }
  }
}
