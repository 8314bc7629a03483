package io.dvo.gate.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.fasterxml.jackson.databind.JsonNode;
import hudson.model.Result;
import hudson.util.Secret;
import io.dvo.gate.approval.ApprovalStatus;
import io.dvo.gate.approval.VoteKind;
import io.dvo.gate.json.Json;
import io.dvo.gate.policy.Reason;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.cps.SnippetizerTester;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

@WithJenkins
class DvoPolicyGateStepTest {

  static final String SECRET = "s3cret-function-key";

  private JenkinsRule r;
  private StubGate gate;

  @BeforeEach
  void setUp(JenkinsRule rule) throws Exception {
    r = rule;
    gate = StubGate.start();
    configure(gate);
  }

  @AfterEach
  void tearDown() {
    gate.close();
  }

  /** Points the global configuration at the stub gate, with the secret in the credentials store. */
  static void configure(StubGate gate) throws Exception {
    SystemCredentialsProvider credentials = SystemCredentialsProvider.getInstance();
    credentials
        .getCredentials()
        .add(
            new StringCredentialsImpl(
                CredentialsScope.GLOBAL, "gate-key", "gate key", Secret.fromString(SECRET)));
    credentials.save();
    DvoPolicyGateConfiguration config = DvoPolicyGateConfiguration.get();
    config.setGateUrl(gate.url());
    config.setDefaultTenant(GateFixtures.TENANT);
    config.setCredentialsId("gate-key");
    config.setCredentialHeader("API_KEY");
  }

  private WorkflowRun start(String script) throws Exception {
    WorkflowJob job = r.createProject(WorkflowJob.class, "deploy");
    job.setDefinition(new CpsFlowDefinition(script, true));
    return job.scheduleBuild2(0).waitForStart();
  }

  private static final String GATE_CALL =
      "def gate = dvoPolicyGate(environment: 'production', agent: 'payments-api', estimate: 12,\n"
          + "    attributes: [staging_validated: true, change_ticket: 'CHG0042'])\n"
          + "echo \"decision=${gate.decision} approvers=${gate.approvers}"
          + " id=${gate.approval_id}\"\n";

  @Test
  void allowLetsTheBuildContinueAndReturnsTheDecision() throws Exception {
    gate.answerGate(GateFixtures.allow());

    WorkflowRun b = r.assertBuildStatus(Result.SUCCESS, r.waitForCompletion(start(GATE_CALL)));

    r.assertLogContains("decision=allow", b);
    StubGate.Recorded post = gate.awaitRequest("POST", "/api/v1/gate"::equals);
    JsonNode body = Json.mapper().readTree(post.body());
    assertThat(body.path("tenant_id").asText()).isEqualTo("acme");
    assertThat(body.path("agent_id").asText()).isEqualTo("payments-api");
    assertThat(body.path("environment").asText()).isEqualTo("production");
    assertThat(body.path("estimate").asLong()).isEqualTo(12);
    assertThat(body.path("attributes").path("staging_validated").asBoolean()).isTrue();
    assertThat(body.path("attributes").path("change_ticket").asText()).isEqualTo("CHG0042");
    assertThat(body.path("idempotency_key").asText()).isNotBlank();
    assertThat(body.path("source").path("url").asText()).isEqualTo(r.getURL() + b.getUrl());
    assertThat(post.header("X-DVO-API-Key")).isEqualTo(SECRET);
    r.assertLogNotContains(SECRET, b);
  }

  @Test
  void agentDefaultsToTheJobsFullNameAndPlanMapsAreSent() throws Exception {
    gate.answerGate(GateFixtures.allow());

    WorkflowRun b =
        start(
            "dvoPolicyGate(environment: 'staging', plan: [engagement_id: 'ENG-1',"
                + " steps: [[name: 'scan', risk_tier: 'passive', estimate: 3]]])");
    r.assertBuildStatus(Result.SUCCESS, r.waitForCompletion(b));

    JsonNode body =
        Json.mapper().readTree(gate.awaitRequest("POST", "/api/v1/gate"::equals).body());
    assertThat(body.path("agent_id").asText()).isEqualTo("deploy");
    assertThat(body.path("plan").path("engagement_id").asText()).isEqualTo("ENG-1");
    assertThat(body.path("plan").path("steps").get(0).path("risk_tier").asText())
        .isEqualTo("passive");
  }

  @Test
  void denyFailsTheBuildListingEveryReason() throws Exception {
    gate.answerGate(
        GateFixtures.deny(
            new Reason("prod-freeze", "Production is frozen until 2026-11-30"),
            new Reason("quota-monthly", "acme 2026-11: requested 900, used 250, limit 1000")));

    WorkflowRun b = r.assertBuildStatus(Result.FAILURE, r.waitForCompletion(start(GATE_CALL)));

    r.assertLogContains("prod-freeze", b);
    r.assertLogContains("Production is frozen until 2026-11-30", b);
    r.assertLogContains("requested 900, used 250, limit 1000", b);
    r.assertLogNotContains("decision=", b);
    r.assertLogNotContains("\tat io.dvo", b); // an AbortException: a message, no stack trace
  }

  @Test
  void warnContinuesAndPrintsEachWarning() throws Exception {
    gate.answerGate(GateFixtures.warn("Deploying on a Friday afternoon"));

    WorkflowRun b = r.assertBuildStatus(Result.SUCCESS, r.waitForCompletion(start(GATE_CALL)));

    r.assertLogContains("WARNING: Deploying on a Friday afternoon", b);
    r.assertLogContains("decision=warn", b);
  }

  @Test
  void warnFailsTheBuildWhenFailOnWarningIsSet() throws Exception {
    gate.answerGate(GateFixtures.warn("Deploying on a Friday afternoon"));

    WorkflowRun b =
        start("dvoPolicyGate(environment: 'production', failOnWarning: true)\necho 'went on'");
    r.assertBuildStatus(Result.FAILURE, r.waitForCompletion(b));

    r.assertLogContains("failOnWarning", b);
    r.assertLogContains("Deploying on a Friday afternoon", b);
    r.assertLogNotContains("went on", b);
  }

  @Test
  void pendingThenApprovedContinuesWithTheApprovers() throws Exception {
    gate.answerGate(GateFixtures.pending(gate.url()));
    gate.setApproval(GateFixtures.pendingApproval());
    gate.answerStart(GateFixtures.allow());

    WorkflowRun b = start(GATE_CALL);
    r.waitForMessage("approval required", b);
    r.assertLogContains("/api/v1/approvals/acme/" + GateFixtures.APPROVAL_ID + "/review", b);
    r.assertLogContains("release-manager", b);
    assertThat(b.isBuilding()).isTrue();

    gate.setApproval(
        GateFixtures.decided(ApprovalStatus.APPROVED, VoteKind.APPROVE, "Alice Approver", "ok"));
    r.assertBuildStatus(Result.SUCCESS, r.waitForCompletion(b));

    r.assertLogContains(
        "decision=allow approvers=[Alice Approver] id=" + GateFixtures.APPROVAL_ID, b);
    assertThat(gate.requests("POST", p -> p.endsWith("/start"))).hasSize(1);
    assertThat(gate.requests("POST", p -> p.endsWith("/cancel"))).isEmpty();
  }

  @Test
  void pendingThenRejectedFailsNamingTheApproverAndReason() throws Exception {
    gate.answerGate(GateFixtures.pending(gate.url()));
    gate.setApproval(GateFixtures.pendingApproval());

    WorkflowRun b = start(GATE_CALL);
    r.waitForMessage("approval required", b);
    gate.setApproval(
        GateFixtures.decided(
            ApprovalStatus.REJECTED, VoteKind.REJECT, "Bob Reviewer", "not during the freeze"));
    r.assertBuildStatus(Result.FAILURE, r.waitForCompletion(b));

    r.assertLogContains("Bob Reviewer", b);
    r.assertLogContains("not during the freeze", b);
    assertThat(gate.requests("POST", p -> p.endsWith("/start"))).isEmpty();
  }

  @Test
  void abortingTheBuildCancelsTheApprovalRequest() throws Exception {
    gate.answerGate(GateFixtures.pending(gate.url()));
    gate.setApproval(GateFixtures.pendingApproval());

    WorkflowRun b = start(GATE_CALL);
    r.waitForMessage("approval required", b);
    b.doStop();
    r.assertBuildStatus(Result.ABORTED, r.waitForCompletion(b));

    StubGate.Recorded cancel = gate.awaitRequest("POST", p -> p.endsWith("/cancel"));
    assertThat(cancel.path())
        .isEqualTo("/api/v1/approvals/acme/" + GateFixtures.APPROVAL_ID + "/cancel");
    assertThat(gate.approval().status()).isEqualTo(ApprovalStatus.CANCELLED);
  }

  @Test
  void anEnclosingTimeoutCancelsTheApprovalRequest() throws Exception {
    gate.answerGate(GateFixtures.pending(gate.url()));
    gate.setApproval(GateFixtures.pendingApproval());

    WorkflowRun b =
        start(
            "timeout(time: 3, unit: 'SECONDS') {\n"
                + "  dvoPolicyGate(environment: 'production')\n"
                + "}");
    r.assertBuildStatus(Result.ABORTED, r.waitForCompletion(b));

    gate.awaitRequest("POST", p -> p.endsWith("/cancel"));
  }

  @Test
  void anUnreachableGateFailsTheBuildInsteadOfAllowingIt() throws Exception {
    DvoPolicyGateConfiguration.get().setGateUrl("http://127.0.0.1:9"); // discard port: refused

    WorkflowRun b = r.assertBuildStatus(Result.FAILURE, r.waitForCompletion(start(GATE_CALL)));

    r.assertLogContains("not allowed", b);
    r.assertLogNotContains("decision=", b);
    r.assertLogNotContains(SECRET, b);
  }

  @Test
  void missingCredentialsFailTheBuildWithAClearMessage() throws Exception {
    DvoPolicyGateConfiguration.get().setCredentialsId("no-such-credentials");

    WorkflowRun b = r.assertBuildStatus(Result.FAILURE, r.waitForCompletion(start(GATE_CALL)));

    r.assertLogContains("'no-such-credentials' were not found", b);
    assertThat(gate.requests()).isEmpty();
  }

  @Test
  void invalidArgumentsFailBeforeAskingTheGate() throws Exception {
    WorkflowRun b =
        r.assertBuildStatus(
            Result.FAILURE,
            r.waitForCompletion(
                start("dvoPolicyGate(environment: 'production', tenant: '', timeoutMinutes: -5)")));

    r.assertLogContains("timeoutMinutes", b);
    assertThat(gate.requests()).isEmpty();
  }

  @Test
  void snippetGeneratorWritesTheStepAndReadsItBack() throws Exception {
    DvoPolicyGateStep step = new DvoPolicyGateStep("production");
    step.setAgent("payments-api");
    step.setEstimate(12);
    step.setFailOnWarning(true);
    SnippetizerTester snippets = new SnippetizerTester(r);

    snippets.assertRoundTrip(
        step,
        "dvoPolicyGate agent: 'payments-api', environment: 'production', estimate: 12,"
            + " failOnWarning: true");
    snippets.assertGenerateSnippet(
        "{'stapler-class':'"
            + DvoPolicyGateStep.class.getName()
            + "','environment':'staging','agent':'','tenant':'','estimate':'',"
            + "'failOnWarning':false,'timeoutMinutes':'240','pollSeconds':'10'}",
        "dvoPolicyGate 'staging'",
        r.getURL() + "pipeline-syntax");
  }
}
