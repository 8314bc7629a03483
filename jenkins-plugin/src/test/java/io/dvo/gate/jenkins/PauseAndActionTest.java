package io.dvo.gate.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Result;
import io.dvo.gate.api.ApprovalInfo;
import io.dvo.gate.api.ApprovalStatus;
import io.dvo.gate.api.GateDecision;
import io.dvo.gate.api.GateOutcome;
import io.dvo.gate.api.Reason;
import io.dvo.gate.approval.VoteKind;
import io.dvo.gate.pipeline.stub.StubFixtures;
import io.dvo.gate.pipeline.stub.StubGate;
import java.time.Instant;
import java.util.List;
import org.htmlunit.html.HtmlAnchor;
import org.htmlunit.html.HtmlPage;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.graphanalysis.DepthFirstScanner;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.support.actions.PauseAction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * While it waits the step is paused (pipeline views show it like {@code input}), and the build has
 * a "DVO Policy Gate" page with the decision, reasons, approvers and review link; gate data is
 * escaped there, and only a link on the gate's own address is a link.
 */
@WithJenkins
class PauseAndActionTest {

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

  /** The build's flow nodes paused by the gate step right now. */
  static List<FlowNode> pausedGateNodes(WorkflowRun b) {
    return new DepthFirstScanner()
        .allNodes(b.getExecution()).stream()
            .filter(PauseAction::isPaused)
            .filter(
                n ->
                    DvoPolicyGateExecution.PAUSE_CAUSE.equals(
                        PauseAction.getCurrentPause(n).getCause()))
            .toList();
  }

  private String reviewUrl() {
    return gate.url() + "/api/v1/approvals/acme/" + StubFixtures.APPROVAL_ID + "/review";
  }

  @Test
  void whileWaitingTheStepIsPausedAndTheBuildShowsTheCall() throws Exception {
    gate.answerGate(StubFixtures.pending(gate.url()));
    gate.setApproval(StubFixtures.pendingApproval());
    gate.answerStart(StubFixtures.allow());

    WorkflowRun b = GateSetup.start(r, "deploy", "dvoPolicyGate(environment: 'production')");
    r.waitForMessage("Approval required", b);

    assertThat(pausedGateNodes(b)).hasSize(1);
    DvoPolicyGateAction.Call waiting = b.getAction(DvoPolicyGateAction.class).getCalls().get(0);
    assertThat(waiting.getState()).isEqualTo("Waiting for approval");
    assertThat(waiting.getApprovalId()).isEqualTo(StubFixtures.APPROVAL_ID);
    assertThat(waiting.getReasons())
        .containsExactly("prod-needs-release-manager: Production deployments need approval");
    assertThat(waiting.getReviewLink()).isEqualTo(reviewUrl());
    JenkinsRule.WebClient web = r.createWebClient();
    HtmlPage page = web.getPage(b, "dvo-policy-gate");
    assertThat(page.getAnchors()).extracting(HtmlAnchor::getHrefAttribute).contains(reviewUrl());
    assertThat(web.getPage(b).asNormalizedText())
        .contains("DVO Policy Gate, deploy in production: Waiting for approval");

    gate.setApproval(
        StubFixtures.decided(ApprovalStatus.APPROVED, VoteKind.APPROVE, "Alice Approver", "ok"));
    r.assertBuildStatus(Result.SUCCESS, r.waitForCompletion(b));

    assertThat(pausedGateNodes(b)).isEmpty();
    FlowNode step =
        new DepthFirstScanner()
            .allNodes(b.getExecution()).stream()
                .filter(n -> !PauseAction.getPauseActions(n).isEmpty())
                .findFirst()
                .orElseThrow();
    assertThat(PauseAction.getCurrentPause(step).getEndTime()).isPositive();
    DvoPolicyGateAction.Call done = b.getAction(DvoPolicyGateAction.class).getCalls().get(0);
    assertThat(done.getState()).isEqualTo("Allowed");
    assertThat(done.getApprovers()).containsExactly("Alice Approver");
    assertThat(web.getPage(b, "dvo-policy-gate").asNormalizedText()).contains("Alice Approver");
  }

  @Test
  void aLinkOffTheGatesOriginIsShownAsTextAndGateDataIsEscaped() throws Exception {
    String hostile = "javascript:alert(document.domain)";
    String markup = "<img src=x onerror=alert(1)>";
    GateDecision pending = StubFixtures.pending(gate.url());
    ApprovalInfo a = pending.approval();
    gate.answerGate(
        StubFixtures.decision(
            GateOutcome.PENDING_APPROVAL,
            List.of(new Reason("r1", markup)),
            List.of(),
            new ApprovalInfo(
                a.id(),
                a.status(),
                a.groups(),
                a.statusUrl(),
                hostile,
                Instant.now().plusSeconds(3600))));
    gate.setApproval(StubFixtures.pendingApproval());

    WorkflowRun b = GateSetup.start(r, "deploy", "dvoPolicyGate(environment: 'production')");
    r.waitForMessage("Approval required", b);

    r.assertLogContains(hostile + " (not on the gate's address", b);
    DvoPolicyGateAction.Call call = b.getAction(DvoPolicyGateAction.class).getCalls().get(0);
    assertThat(call.getReviewLink()).isNull();
    assertThat(call.getReviewAddress()).isEqualTo(hostile);
    HtmlPage page = r.createWebClient().getPage(b, "dvo-policy-gate");
    assertThat(page.getAnchors())
        .extracting(HtmlAnchor::getHrefAttribute)
        .noneMatch(href -> href.startsWith("javascript:"));
    assertThat(page.getByXPath("//img[@src='x']")).isEmpty();
    assertThat(page.asNormalizedText()).contains("r1: " + markup).contains(hostile);

    b.doStop();
    r.assertBuildStatus(Result.ABORTED, r.waitForCompletion(b));
    assertThat(b.getAction(DvoPolicyGateAction.class).getCalls().get(0).getState())
        .isEqualTo("Stopped");
  }
}
