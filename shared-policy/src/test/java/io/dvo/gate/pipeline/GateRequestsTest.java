package io.dvo.gate.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.dvo.gate.api.GateRequest;
import io.dvo.gate.api.Initiator;
import io.dvo.gate.api.RiskTier;
import io.dvo.gate.json.Json;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GateRequestsTest {
  private static final long STARTED = Instant.parse("2026-11-21T10:00:00.250Z").toEpochMilli();
  private static final BuildInfo BUILD =
      new BuildInfo(
          "payments/deploy",
          "42",
          "https://ci.example.com/job/payments/job/deploy/42/",
          STARTED,
          "17",
          List.of(BuildCause.user("u1", "u1@example.com", "Uma One")));

  private static StepParameters params(
      String environment,
      String agent,
      String tenant,
      Long estimate,
      Map<String, Object> attributes,
      Map<String, Object> plan) {
    return new StepParameters(
        environment, null, agent, tenant, null, estimate, attributes, plan, 0, false, false, 0);
  }

  private static StepDefaults defaults(String tenant) {
    return new StepDefaults(tenant, null, null);
  }

  private static GateRequest gate(StepParameters p, BuildInfo b, String defaultTenant) {
    return GateRequests.fromStep(p, b, defaults(defaultTenant)).gate();
  }

  private static StepParameters withService(String service, String agent) {
    return new StepParameters(
        "prod", service, agent, "acme", null, null, null, null, 0, false, false, 0);
  }

  private static StepParameters withConnection(String tenant, String credentialsId) {
    return new StepParameters(
        "prod", null, null, tenant, credentialsId, null, null, null, 0, false, false, 0);
  }

  private static StepParameters withEmergency(java.util.Map<String, Object> emergency) {
    return new StepParameters(
        "production", null, null, "acme", null, null, null, null, 0, false, false, 0, emergency);
  }

  @Test
  void waitForLockIsCarriedToTheStepsRequestAndOffByDefault() {
    StepParameters waiting =
        new StepParameters(
            "production",
            null,
            null,
            "acme",
            null,
            null,
            null,
            null,
            0,
            false,
            false,
            0,
            null,
            true);

    assertThat(GateRequests.fromStep(waiting, BUILD, defaults(null)).waitForLock()).isTrue();
    assertThat(GateRequests.fromStep(withEmergency(null), BUILD, defaults(null)).waitForLock())
        .isFalse();
  }

  @Test
  void anEmergencyIsSentWithTheRequest() {
    GateRequest r =
        gate(
            withEmergency(java.util.Map.of("reason", " payments outage ", "ticket", "INC-4711")),
            BUILD,
            null);
    assertThat(r.emergency())
        .isEqualTo(new io.dvo.gate.api.Emergency("payments outage", "INC-4711"));
    assertThat(gate(withEmergency(null), BUILD, null).emergency()).isNull();
  }

  @Test
  void anIncompleteEmergencyIsRefusedNamingEachPart() {
    InvalidStepParametersException e =
        catchThrowableOfType(
            () ->
                GateRequests.fromStep(
                    withEmergency(java.util.Map.of("reason", " ", "why", "x")),
                    BUILD,
                    defaults(null)),
            InvalidStepParametersException.class);
    assertThat(e.getMessage())
        .contains("emergency: unknown key 'why'")
        .contains("emergency.reason: required")
        .contains("emergency.ticket: required");
  }

  @Test
  void buildsTheRequestWithSourceAndIdempotencyKeyFromTheBuild() {
    GateRequest r =
        gate(
            params(
                "production", "payments-api", "acme", 12L, Map.of("staging_validated", true), null),
            BUILD,
            "default-tenant");

    assertThat(r.tenantId()).isEqualTo("acme");
    assertThat(r.agentId()).isEqualTo("payments-api");
    assertThat(r.environment()).isEqualTo("production");
    assertThat(r.estimate()).isEqualTo(12L);
    assertThat(r.attributes()).containsEntry("staging_validated", true);
    assertThat(r.idempotencyKey())
        .isEqualTo(IdempotencyKeys.forStep(BUILD.buildUrl(), STARTED, BUILD.flowNodeId()));
    assertThat(r.source().kind()).isEqualTo("jenkins");
    assertThat(r.source().url()).isEqualTo(BUILD.buildUrl());
    assertThat(r.source().job()).isEqualTo("payments/deploy");
    assertThat(r.source().build()).isEqualTo("42");
    assertThat(r.plan()).isNull();
  }

  @Test
  void tenantFallsBackToTheDefaultAndAgentToTheJobName() {
    GateRequest r = gate(params("staging", " ", null, null, null, null), BUILD, "acme");

    assertThat(r.tenantId()).isEqualTo("acme");
    assertThat(r.agentId()).isEqualTo("payments/deploy");
    assertThat(r.estimate()).isNull();
    assertThat(r.attributes()).isEmpty();
  }

  @Test
  void everyProblemIsReportedAtOnceNamingItsParameter() {
    InvalidStepParametersException e =
        catchThrowableOfType(
            InvalidStepParametersException.class,
            () ->
                GateRequests.fromStep(
                    new StepParameters(
                        " ", null, null, null, null, -5L, null, null, -1, false, false, 100_000),
                    new BuildInfo(null, "1", "https://ci/job/x/1/", STARTED, "3", null),
                    null));

    assertThat(e.problems())
        .anySatisfy(p -> assertThat(p).startsWith("environment: required"))
        .anySatisfy(p -> assertThat(p).startsWith("service: required"))
        .anySatisfy(p -> assertThat(p).startsWith("tenant: required"))
        .anySatisfy(p -> assertThat(p).startsWith("estimate: must not be negative"))
        .anySatisfy(p -> assertThat(p).startsWith("timeoutMinutes:"))
        .anySatisfy(p -> assertThat(p).startsWith("pollSeconds:"))
        .hasSize(6);
    assertThat(e).isInstanceOf(IllegalArgumentException.class);
    assertThat(e.getMessage()).contains("environment: required").contains("tenant: required");
  }

  @Test
  void anEnvironmentInUpperCaseIsExplainedBeforeTheGateRefusesIt() {
    InvalidStepParametersException e =
        catchThrowableOfType(
            InvalidStepParametersException.class,
            () -> gate(params("Production", null, "acme", null, null, null), BUILD, null));

    assertThat(e.problems())
        .containsExactly("environment: must be lower case, e.g. environment: 'production'");
  }

  @Test
  void aMissingBuildUrlIsExplained() {
    InvalidStepParametersException e =
        catchThrowableOfType(
            InvalidStepParametersException.class,
            () ->
                gate(
                    params("prod", null, "acme", null, null, null),
                    new BuildInfo("job", "1", null, STARTED, "3", null),
                    null));

    assertThat(e.problems()).singleElement().asString().contains("Jenkins URL");
  }

  @Test
  void attributesBecomePlainJsonValues() {
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put("ticket", new StringBuilder("CHG").append(42)); // like a Groovy GString
    attributes.put("count", 3);
    attributes.put("ratio", 0.5);
    attributes.put("tags", List.of("a", 1, true));
    attributes.put("nested", Map.of("k", new BigDecimal("1.25")));
    attributes.put("none", null);

    GateRequest r = gate(params("prod", null, "acme", null, attributes, null), BUILD, null);

    assertThat(r.attributes().get("ticket")).isEqualTo("CHG42");
    assertThat(r.attributes().get("count")).isEqualTo(3L);
    assertThat(r.attributes().get("ratio")).isEqualTo(0.5);
    assertThat(r.attributes().get("tags")).isEqualTo(List.of("a", 1L, true));
    assertThat(r.attributes().get("nested")).isEqualTo(Map.of("k", new BigDecimal("1.25")));
    assertThat(r.attributes()).containsEntry("none", null);
  }

  @Test
  void attributeValuesThatAreNotJsonAreRejectedWithTheirPath() {
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put("when", new Date(0));
    attributes.put("list", List.of(1, Double.NaN));
    Map<Object, Object> badKeys = new LinkedHashMap<>();
    badKeys.put(7, "x");
    attributes.put("map", badKeys);

    InvalidStepParametersException e =
        catchThrowableOfType(
            InvalidStepParametersException.class,
            () -> gate(params("prod", null, "acme", null, attributes, null), BUILD, null));

    assertThat(e.problems())
        .anySatisfy(p -> assertThat(p).startsWith("attributes.when: ").contains("java.util.Date"))
        .anySatisfy(p -> assertThat(p).startsWith("attributes.list[1]: NaN"))
        .anySatisfy(p -> assertThat(p).startsWith("attributes.map: keys must be strings"))
        .hasSize(3);
  }

  @Test
  void attributesNestedTooDeepAreRejected() {
    Map<String, Object> deep = new LinkedHashMap<>();
    Map<String, Object> current = deep;
    for (int i = 0; i < 40; i++) {
      Map<String, Object> next = new LinkedHashMap<>();
      current.put("d", next);
      current = next;
    }

    InvalidStepParametersException e =
        catchThrowableOfType(
            InvalidStepParametersException.class,
            () -> gate(params("prod", null, "acme", null, deep, null), BUILD, null));

    assertThat(e.problems()).singleElement().asString().contains("nested more than");
  }

  @Test
  void aPlanDocumentIsConvertedToThePlanType() throws Exception {
    @SuppressWarnings("unchecked")
    Map<String, Object> plan =
        Json.mapper()
            .readValue(
                """
                {"engagement_id":"eng-7",
                 "scope":{"hosts":["*.example.com"],"cidrs":["10.0.0.0/8"],"url_prefixes":["https://app/"]},
                 "steps":[{"id":"s1","name":"scan","risk_tier":"active","estimate":5,"targets":["a.example.com"]},
                          {"id":"s2","name":"exploit","risk_tier":"INTRUSIVE","estimate":7.0}]}
                """,
                Map.class);

    GateRequest r = gate(params("prod", null, "acme", null, null, plan), BUILD, null);

    assertThat(r.plan().engagementId()).isEqualTo("eng-7");
    assertThat(r.plan().scope().hosts()).containsExactly("*.example.com");
    assertThat(r.plan().scope().cidrs()).containsExactly("10.0.0.0/8");
    assertThat(r.plan().scope().urlPrefixes()).containsExactly("https://app/");
    assertThat(r.plan().steps()).hasSize(2);
    assertThat(r.plan().steps().get(0).riskTier()).isEqualTo(RiskTier.ACTIVE);
    assertThat(r.plan().steps().get(0).targets()).containsExactly("a.example.com");
    assertThat(r.plan().steps().get(1).riskTier()).isEqualTo(RiskTier.INTRUSIVE);
    assertThat(r.plan().steps().get(1).estimate()).isEqualTo(7L);
  }

  @Test
  void planErrorsNameTheBadField() {
    Map<String, Object> step = new LinkedHashMap<>();
    step.put("id", 1);
    step.put("risk_tier", "dangerous");
    step.put("estimate", 2.5);
    step.put("targets", "a.example.com");
    step.put("riskTier", "active");
    Map<String, Object> plan = new LinkedHashMap<>();
    plan.put("engagement_id", "eng");
    plan.put("scope", List.of());
    plan.put("steps", new ArrayList<>(List.of(step, "not a step")));
    plan.put("extra", true);

    InvalidStepParametersException e =
        catchThrowableOfType(
            InvalidStepParametersException.class,
            () -> gate(params("prod", null, "acme", null, null, plan), BUILD, null));

    // The gate's own plan rules and words: the step refuses what the gate would refuse.
    assertThat(e.problems())
        .anySatisfy(p -> assertThat(p).startsWith("$.plan.extra: unknown field \"extra\""))
        .anySatisfy(p -> assertThat(p).isEqualTo("$.plan.scope: expected an object, got an array"))
        .anySatisfy(p -> assertThat(p).startsWith("$.plan.steps[0].id: expected a string"))
        .anySatisfy(
            p ->
                assertThat(p)
                    .startsWith("$.plan.steps[0].risk_tier: unknown risk tier \"dangerous\""))
        .anySatisfy(
            p -> assertThat(p).startsWith("$.plan.steps[0].estimate: expected a whole number"))
        .anySatisfy(
            p -> assertThat(p).startsWith("$.plan.steps[0].targets: expected an array of strings"))
        .anySatisfy(
            p ->
                assertThat(p)
                    .startsWith("$.plan.steps[0].riskTier: unknown field")
                    .contains("did you mean risk_tier?"))
        .anySatisfy(p -> assertThat(p).startsWith("$.plan.steps[1]: expected an object"))
        .hasSize(8);
  }

  @Test
  void aNegativeStepEstimateIsRejected() {
    Map<String, Object> plan = Map.of("steps", List.of(Map.of("id", "s1", "estimate", -1)));

    InvalidStepParametersException e =
        catchThrowableOfType(
            InvalidStepParametersException.class,
            () -> gate(params("prod", null, "acme", null, null, plan), BUILD, null));

    assertThat(e.problems())
        .containsExactly(
            "$.plan.steps[0].risk_tier: is required",
            "$.plan.steps[0].estimate: must not be negative");
  }

  @Test
  void theRequestSerialisesToTheWireContract() throws Exception {
    GateRequest r =
        gate(params("prod", "api", "acme", 3L, Map.of("change_ticket", "CHG1"), null), BUILD, null);

    String json = Json.mapper().writeValueAsString(r);

    assertThat(Json.mapper().readValue(json, GateRequest.class)).isEqualTo(r);
    assertThat(json).contains("\"idempotency_key\":\"jenkins:").contains("\"agent_id\":\"api\"");
  }

  @Test
  void serviceIsTheNameAndAgentItsOldAlias() {
    assertThat(gate(withService("payments-api", null), BUILD, null).agentId())
        .isEqualTo("payments-api");
    assertThat(gate(withService(null, "payments-api"), BUILD, null).agentId())
        .isEqualTo("payments-api");
    assertThat(gate(withService("payments-api", "payments-api"), BUILD, null).agentId())
        .isEqualTo("payments-api");
  }

  @Test
  void serviceAndAgentNamingDifferentThingsIsRefused() {
    InvalidStepParametersException e =
        catchThrowableOfType(
            InvalidStepParametersException.class,
            () -> gate(withService("payments-api", "billing"), BUILD, null));

    assertThat(e.problems())
        .singleElement()
        .asString()
        .startsWith("service, agent: agent is the old name of service")
        .contains("'payments-api'", "'billing'");
  }

  @Test
  void theWarningModeFollowsTheFlagsAndBothAtOnceAreRefused() {
    StepParameters unstable =
        new StepParameters("prod", null, null, "acme", null, null, null, null, 0, false, true, 0);
    StepParameters fail =
        new StepParameters("prod", null, null, "acme", null, null, null, null, 0, true, false, 0);
    StepParameters both =
        new StepParameters("prod", null, null, "acme", null, null, null, null, 0, true, true, 0);

    assertThat(GateRequests.fromStep(unstable, BUILD, null).onWarning())
        .isEqualTo(OnWarning.UNSTABLE);
    assertThat(GateRequests.fromStep(fail, BUILD, null).onWarning()).isEqualTo(OnWarning.FAIL);
    assertThat(GateRequests.fromStep(withService(null, null), BUILD, null).onWarning())
        .isEqualTo(OnWarning.CONTINUE);
    assertThat(
            catchThrowableOfType(
                    InvalidStepParametersException.class,
                    () -> GateRequests.fromStep(both, BUILD, null))
                .problems())
        .singleElement()
        .asString()
        .startsWith("failOnWarning, unstableOnWarning: choose one");
  }

  @Test
  void theCredentialComesFromTheStepThenTheGlobalConfiguration() {
    StepRequest global =
        GateRequests.fromStep(
            withConnection(null, null), BUILD, new StepDefaults("acme", "gate-key", null));
    StepRequest own =
        GateRequests.fromStep(
            withConnection(null, "team-key"), BUILD, new StepDefaults("acme", "gate-key", null));
    StepRequest none =
        GateRequests.fromStep(
            withConnection(null, null), BUILD, new StepDefaults("acme", null, null));

    assertThat(global.credentialsId()).isEqualTo("gate-key");
    assertThat(global.credentialSource()).isEqualTo(CredentialSource.GLOBAL);
    assertThat(own.credentialsId()).isEqualTo("team-key");
    assertThat(own.credentialSource()).isEqualTo(CredentialSource.STEP);
    assertThat(none.credentialsId()).isNull();
    assertThat(none.credentialSource()).isNull();
  }

  @Test
  void aFolderPinFixesTenantAndCredentialForItsJobs() {
    StepDefaults pinned =
        new StepDefaults("default", "gate-key", new FolderPin("payments", "pay", "pay-key"));

    StepRequest r = GateRequests.fromStep(withConnection(null, null), BUILD, pinned);
    StepRequest same = GateRequests.fromStep(withConnection("pay", "pay-key"), BUILD, pinned);

    assertThat(r.gate().tenantId()).isEqualTo("pay");
    assertThat(r.credentialsId()).isEqualTo("pay-key");
    assertThat(r.credentialSource()).isEqualTo(CredentialSource.FOLDER);
    assertThat(same.gate().tenantId()).isEqualTo("pay");
    assertThat(same.credentialSource()).isEqualTo(CredentialSource.FOLDER);
  }

  @Test
  void aJobInAPinnedFolderMayNotNameAnotherTenantOrCredential() {
    StepDefaults pinned =
        new StepDefaults("default", "gate-key", new FolderPin("payments", "pay", "pay-key"));

    InvalidStepParametersException e =
        catchThrowableOfType(
            InvalidStepParametersException.class,
            () -> GateRequests.fromStep(withConnection("billing", "gate-key"), BUILD, pinned));

    assertThat(e.problems())
        .anySatisfy(
            p ->
                assertThat(p)
                    .startsWith("tenant: folder 'payments' pins tenant 'pay'")
                    .contains("'billing'"))
        .anySatisfy(
            p ->
                assertThat(p)
                    .startsWith(
                        "credentialsId: folder 'payments' pins the gate credential 'pay-key'")
                    .contains("'gate-key'"))
        .hasSize(2);
  }

  @Test
  void aFolderPinningOnlyTheTenantLeavesTheCredentialOpen() {
    StepDefaults pinned =
        new StepDefaults("default", "gate-key", new FolderPin("payments", "pay", null));

    StepRequest r = GateRequests.fromStep(withConnection(null, "own-key"), BUILD, pinned);

    assertThat(r.gate().tenantId()).isEqualTo("pay");
    assertThat(r.credentialsId()).isEqualTo("own-key");
    assertThat(r.credentialSource()).isEqualTo(CredentialSource.STEP);
  }

  @Test
  void thePreparedRequestCarriesTheInitiatorAndTheEffectiveWait() {
    StepRequest r =
        GateRequests.fromStep(params("prod", null, "acme", null, null, null), BUILD, null);

    assertThat(r.initiator()).isEqualTo(new Initiator("u1", "u1@example.com", "Uma One"));
    // The gate is told who started the build, so that person can never approve the run.
    assertThat(r.gate().initiator()).isEqualTo(r.initiator());
    assertThat(r.timeoutMinutes()).isEqualTo(StepParameters.DEFAULT_TIMEOUT_MINUTES);
    assertThat(r.pollSeconds()).isEqualTo(StepParameters.DEFAULT_POLL_SECONDS);
  }

  @Test
  void aBuildWithoutAStartTimeCannotGetAKey() {
    InvalidStepParametersException e =
        catchThrowableOfType(
            InvalidStepParametersException.class,
            () ->
                gate(
                    params("prod", null, "acme", null, null, null),
                    new BuildInfo("job", "1", "https://ci/job/x/1/", 0, "3", null),
                    null));

    assertThat(e.problems()).singleElement().asString().startsWith("build start time: unknown");
  }
}
