package io.dvo.gate.service;

import static io.dvo.gate.service.GateHarness.PIPELINE;
import static io.dvo.gate.service.GateHarness.scan;
import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.api.GateDecision;
import io.dvo.gate.api.GateOutcome;
import io.dvo.gate.api.GateRequest;
import io.dvo.gate.api.Initiator;
import io.dvo.gate.approval.ApprovalError;
import io.dvo.gate.identity.Principal;
import io.dvo.gate.policy.PolicyEngines;
import io.dvo.gate.policy.PolicyRule;
import io.dvo.gate.quota.QuotaSettings;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The initiator end to end through the service (issue 12, item 6). */
class InitiatorThroughTheGateTest {
  private static final Principal U1_SECURITY =
      new Principal("aad-oid-u1", "u1@acme.io", "U One", Set.of("security"), Set.of("acme"));
  private static final Principal OTHER_SECURITY =
      new Principal("aad-oid-u2", "u2@acme.io", "U Two", Set.of("security"), Set.of("acme"));

  private final GateHarness h = new GateHarness(new QuotaSettings("acme", 100, null, null));

  private static com.fasterxml.jackson.databind.JsonNode json(String text) {
    try {
      return io.dvo.gate.json.Json.mapper().readTree(text.replace('\'', '"'));
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Test
  void thePersonWhoStartedTheBuildCannotApproveItThoughThePipelineAsked() {
    GateRequest request =
        scan("scan-1", "scanner", "staging", Map.of())
            .withInitiator(new Initiator("u1", "U1@acme.io", "U One"));
    String id = h.gate.decide(request, PIPELINE).approval().id();
    assertThat(h.stored("scan-1").initiator()).isEqualTo(request.initiator());

    ApprovalResult own = h.approvals.approve("acme", id, U1_SECURITY, "mine");
    ApprovalResult other = h.approvals.approve("acme", id, OTHER_SECURITY, "ok");

    assertThat(own.error()).isEqualTo(ApprovalError.OWN_REQUEST);
    assertThat(other.isOk()).isTrue();
    assertThat(h.gate.start("acme", id, PIPELINE).decision()).isEqualTo(GateOutcome.ALLOW);
  }

  @Test
  void aRequestWithoutAnInitiatorIsAllowedAndRecordsNone() {
    GateDecision pending = h.gate.decide(scan("scan-1", "scanner", "staging", Map.of()), PIPELINE);

    assertThat(pending.decision()).isEqualTo(GateOutcome.PENDING_APPROVAL);
    assertThat(h.stored("scan-1").initiator()).isNull();
    assertThat(h.approvals.approve("acme", pending.approval().id(), U1_SECURITY, "").isOk())
        .isTrue();
  }

  @Test
  void policiesSeeTheInitiatorAndTheCallerCannotForgeItThroughAttributes() {
    PolicyRule noInterns =
        PolicyRule.fromJson(
            json(
                "{'id':'no-interns','name':'Interns do not deploy','action':'deny',"
                    + "'conditions':[{'field':'initiator.email','operator':'matches',"
                    + "'value':'.*@interns[.]acme[.]io'}],"
                    + "'action_params':{'reason':'interns do not deploy'}}"));
    h.engine.set(PolicyEngines.compile(List.of(noInterns)));
    GateRequest base = GateHarness.simple("k1", "dev", 1);

    GateDecision intern =
        h.gate.decide(
            base.withInitiator(new Initiator("i1", "i1@interns.acme.io", null)), PIPELINE);
    GateDecision forged =
        h.gate.decide(
            new GateRequest(
                "acme",
                "k2",
                "payments-api",
                "dev",
                1L,
                Map.of("initiator", Map.of("email", "boss@acme.io")),
                null,
                null,
                new Initiator("i2", "i2@interns.acme.io", null)),
            PIPELINE);
    GateDecision nobody = h.gate.decide(GateHarness.simple("k3", "dev", 1), PIPELINE);

    assertThat(intern.decision()).isEqualTo(GateOutcome.DENY);
    assertThat(forged.decision()).isEqualTo(GateOutcome.DENY);
    assertThat(nobody.decision()).isEqualTo(GateOutcome.ALLOW);
  }
}
