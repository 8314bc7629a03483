package io.dvo.gate.jenkins;

import static io.dvo.gate.jenkins.GateSetup.SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import hudson.model.Result;
import io.dvo.gate.api.ApprovalStatus;
import io.dvo.gate.api.Reason;
import io.dvo.gate.approval.VoteKind;
import io.dvo.gate.json.Json;
import io.dvo.gate.pipeline.stub.StubFixtures;
import io.dvo.gate.pipeline.stub.StubGate;
import org.jenkinsci.plugins.workflow.cps.SnippetizerTester;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

@WithJenkins
class DvoPolicyGateStepTest {

  private JenkinsRule r;
  private StubGate gate;

  @BeforeEach
  void setUp(JenkinsRule rule) throws Exception {
    r = rule;
    gate = StubGate.start();
    GateSetup.configure(gate);
  }

  @AfterEach
  void tearDown() {
    gate.close();
  }

  private WorkflowRun start(String script) throws Exception {
    return GateSetup.start(r, "deploy", script);
  }

  private static final String GATE_CALL =
      "def gate = dvoPolicyGate(environment: 'production', service: 'payments-api', estimate: 12,\n"
          + "    attributes: [staging_validated: true, change_ticket: 'CHG0042'])\n"
          + "echo \"decision=${gate.decision} approvers=${gate.approvers}"
          + " id=${gate.approvalId} left=${gate.quota.remainingAfter}\"\n";

  @Test
  void allowLetsTheBuildContinueAndReturnsCamelCaseKeysWithRemainingAfter() throws Exception {
    gate.answerGate(StubFixtures.allow());

    WorkflowRun b = r.assertBuildStatus(Result.SUCCESS, r.waitForCompletion(start(GATE_CALL)));

    // The stub's quota: budget 1000, used 250 before this run, estimate 12.
    r.assertLogContains("decision=allow approvers=[] id=null left=738", b);
    StubGate.Recorded post = gate.awaitRequest("POST", "/api/v1/gate"::equals);
    JsonNode body = Json.mapper().readTree(post.body());
    assertThat(body.path("tenant_id").asText()).isEqualTo("acme");
    assertThat(body.path("agent_id").asText()).isEqualTo("payments-api");
    assertThat(body.path("environment").asText()).isEqualTo("production");
    assertThat(body.path("estimate").asLong()).isEqualTo(12);
    assertThat(body.path("attributes").path("staging_validated").asBoolean()).isTrue();
    assertThat(body.path("attributes").path("change_ticket").asText()).isEqualTo("CHG0042");
    assertThat(body.path("idempotency_key").asText()).startsWith("jenkins:" + r.getURL());
    assertThat(body.path("source").path("url").asText()).isEqualTo(r.getURL() + b.getUrl());
    assertThat(post.header("X-DVO-API-Key")).isEqualTo(SECRET);
    r.assertLogNotContains(SECRET, b);
  }

  @Test
  void agentIsStillAcceptedAsTheOldNameOfService() throws Exception {
    gate.answerGate(StubFixtures.allow());

    r.assertBuildStatus(
        Result.SUCCESS,
        r.waitForCompletion(start("dvoPolicyGate(environment: 'dev', agent: 'billing')")));

    JsonNode body =
        Json.mapper().readTree(gate.awaitRequest("POST", "/api/v1/gate"::equals).body());
    assertThat(body.path("agent_id").asText()).isEqualTo("billing");
  }

  @Test
  void serviceAndAgentNamingDifferentServicesFailBeforeAskingTheGate() throws Exception {
    WorkflowRun b =
        r.assertBuildStatus(
            Result.FAILURE,
            r.waitForCompletion(
                start("dvoPolicyGate(environment: 'dev', service: 'payments', agent: 'billing')")));

    r.assertLogContains("agent is the old name of service", b);
    assertThat(gate.requests()).isEmpty();
  }

  @Test
  void serviceDefaultsToTheJobsFullNameAndPlanMapsAreSent() throws Exception {
    gate.answerGate(StubFixtures.allow());

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
        StubFixtures.deny(
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
  void warnContinuesAndPrintsTheWarningsOnce() throws Exception {
    gate.answerGate(StubFixtures.warn("Deploying on a Friday afternoon"));

    WorkflowRun b = r.assertBuildStatus(Result.SUCCESS, r.waitForCompletion(start(GATE_CALL)));

    r.assertLogContains("Allowed with warnings:\n  - Deploying on a Friday afternoon", b);
    r.assertLogContains("decision=warn", b);
    assertThat(count(JenkinsRule.getLog(b), "Deploying on a Friday afternoon")).isEqualTo(1);
  }

  @Test
  void unstableOnWarningGoesOnAndMarksTheBuildUnstable() throws Exception {
    gate.answerGate(StubFixtures.warn("Deploying on a Friday afternoon"));

    WorkflowRun b =
        start(
            "dvoPolicyGate(environment: 'production', unstableOnWarning: true)\n"
                + "echo 'went on'");
    r.assertBuildStatus(Result.UNSTABLE, r.waitForCompletion(b));

    r.assertLogContains("went on", b);
    r.assertLogContains("(the build is marked unstable)", b);
  }

  @Test
  void warnFailsTheBuildWhenFailOnWarningIsSet() throws Exception {
    gate.answerGate(StubFixtures.warn("Deploying on a Friday afternoon"));

    WorkflowRun b =
        start("dvoPolicyGate(environment: 'production', failOnWarning: true)\necho 'went on'");
    r.assertBuildStatus(Result.FAILURE, r.waitForCompletion(b));

    r.assertLogContains("failOnWarning", b);
    r.assertLogContains("Deploying on a Friday afternoon", b);
    r.assertLogNotContains("went on", b);
  }

  @Test
  void pendingThenApprovedContinuesWithOneLinePerStateChange() throws Exception {
    gate.answerGate(StubFixtures.pending(gate.url()));
    gate.setApproval(StubFixtures.pendingApproval());
    gate.answerStart(StubFixtures.allow());

    WorkflowRun b = start(GATE_CALL);
    r.waitForMessage("Approval required", b);
    r.assertLogContains("/api/v1/approvals/acme/" + StubFixtures.APPROVAL_ID + "/review", b);
    r.assertLogContains("release-manager", b);
    assertThat(b.isBuilding()).isTrue();

    gate.setApproval(
        StubFixtures.decided(ApprovalStatus.APPROVED, VoteKind.APPROVE, "Alice Approver", "ok"));
    r.assertBuildStatus(Result.SUCCESS, r.waitForCompletion(b));

    r.assertLogContains(
        "decision=allow approvers=[Alice Approver] id=" + StubFixtures.APPROVAL_ID, b);
    String log = JenkinsRule.getLog(b);
    // The old step printed "is approved; approved by ..." and then "approved by ..." again.
    assertThat(count(log, "Alice Approver")).isEqualTo(2); // the end line, and the echo
    assertThat(log)
        .contains(
            "Approval "
                + StubFixtures.APPROVAL_ID
                + " approved by Alice Approver; the run is"
                + " allowed.")
        .doesNotContain("is pending")
        .doesNotContain("is approved;");
    assertThat(gate.requests("POST", p -> p.endsWith("/start"))).hasSize(1);
    assertThat(gate.requests("POST", p -> p.endsWith("/cancel"))).isEmpty();
  }

  @Test
  void pendingThenRejectedFailsNamingTheApproverAndReason() throws Exception {
    gate.answerGate(StubFixtures.pending(gate.url()));
    gate.setApproval(StubFixtures.pendingApproval());

    WorkflowRun b = start(GATE_CALL);
    r.waitForMessage("Approval required", b);
    gate.setApproval(
        StubFixtures.decided(
            ApprovalStatus.REJECTED, VoteKind.REJECT, "Bob Reviewer", "not during the freeze"));
    r.assertBuildStatus(Result.FAILURE, r.waitForCompletion(b));

    r.assertLogContains("Bob Reviewer", b);
    r.assertLogContains("not during the freeze", b);
    assertThat(gate.requests("POST", p -> p.endsWith("/start"))).isEmpty();
  }

  @Test
  void abortingTheBuildWithdrawsTheRequestAndLogsTheGatesConfirmation() throws Exception {
    gate.answerGate(StubFixtures.pending(gate.url()));
    gate.setApproval(StubFixtures.pendingApproval());

    WorkflowRun b = start(GATE_CALL);
    r.waitForMessage("Approval required", b);
    b.doStop();
    r.assertBuildStatus(Result.ABORTED, r.waitForCompletion(b));

    StubGate.Recorded cancel = gate.awaitRequest("POST", p -> p.endsWith("/cancel"));
    assertThat(cancel.path())
        .isEqualTo("/api/v1/approvals/acme/" + StubFixtures.APPROVAL_ID + "/cancel");
    assertThat(gate.approval().status()).isEqualTo(ApprovalStatus.CANCELLED);
    r.assertLogContains(
        "Stopped; withdrawing approval request " + StubFixtures.APPROVAL_ID + " on the gate.", b);
    r.assertLogContains(
        "The gate confirmed: approval request " + StubFixtures.APPROVAL_ID + " is withdrawn.", b);
  }

  @Test
  void anEnclosingTimeoutWithdrawsTheRequest() throws Exception {
    gate.answerGate(StubFixtures.pending(gate.url()));
    gate.setApproval(StubFixtures.pendingApproval());

    WorkflowRun b =
        start(
            "timeout(time: 3, unit: 'SECONDS') {\n"
                + "  dvoPolicyGate(environment: 'production')\n"
                + "}");
    r.assertBuildStatus(Result.ABORTED, r.waitForCompletion(b));

    gate.awaitRequest("POST", p -> p.endsWith("/cancel"));
    r.assertLogContains("The gate confirmed", b);
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
                start(
                    "dvoPolicyGate(environment: 'production', tenant: '', timeoutMinutes: -5,"
                        + " failOnWarning: true, unstableOnWarning: true)")));

    r.assertLogContains("timeoutMinutes", b);
    r.assertLogContains("failOnWarning, unstableOnWarning: choose one", b);
    assertThat(gate.requests()).isEmpty();
  }

  @Test
  void snippetGeneratorWritesTheStepAndReadsItBack() throws Exception {
    DvoPolicyGateStep step = new DvoPolicyGateStep("production");
    step.setService("payments-api");
    step.setEstimate(12);
    step.setUnstableOnWarning(true);
    SnippetizerTester snippets = new SnippetizerTester(r);

    snippets.assertRoundTrip(
        step,
        "dvoPolicyGate environment: 'production', estimate: 12, service: 'payments-api',"
            + " unstableOnWarning: true");
    snippets.assertGenerateSnippet(
        "{'stapler-class':'"
            + DvoPolicyGateStep.class.getName()
            + "','environment':'staging','service':'','tenant':'','estimate':'',"
            + "'failOnWarning':false,'unstableOnWarning':false,'credentialsId':'',"
            + "'timeoutMinutes':'240','pollSeconds':'10'}",
        "dvoPolicyGate 'staging'",
        r.getURL() + "pipeline-syntax");
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
      n++;
    }
    return n;
  }
}
