package io.dvo.gate.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Result;
import io.dvo.gate.api.ApprovalStatus;
import io.dvo.gate.approval.VoteKind;
import io.dvo.gate.pipeline.stub.StubFixtures;
import io.dvo.gate.pipeline.stub.StubGate;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

/** A build waiting for approval survives a Jenkins restart and goes on when approved. */
class DvoPolicyGateRestartTest {

  @RegisterExtension private final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

  @Test
  void restartWhileWaitingResumesTheWaitWithoutAskingAgain() throws Throwable {
    try (StubGate gate = StubGate.start()) {
      gate.answerGate(StubFixtures.pending(gate.url()));
      gate.setApproval(StubFixtures.pendingApproval());
      gate.answerStart(StubFixtures.allow());

      sessions.then(
          r -> {
            GateSetup.configure(gate);
            WorkflowJob job = r.createProject(WorkflowJob.class, "deploy");
            job.setDefinition(
                new CpsFlowDefinition(
                    "def gate = dvoPolicyGate(environment: 'production')\n"
                        + "echo \"decision=${gate.decision} approvers=${gate.approvers}\"",
                    true));
            WorkflowRun b = job.scheduleBuild2(0).waitForStart();
            r.waitForMessage("Approval required", b);
            assertThat(PauseAndActionTest.pausedGateNodes(b)).hasSize(1);
          });

      sessions.then(
          r -> {
            WorkflowRun b =
                r.jenkins.getItemByFullName("deploy", WorkflowJob.class).getBuildByNumber(1);
            assertThat(b.isBuilding()).isTrue();
            r.waitForMessage("waiting again for approval " + StubFixtures.APPROVAL_ID, b);
            // The pause and the build's gate page were saved with the build.
            assertThat(PauseAndActionTest.pausedGateNodes(b)).hasSize(1);
            assertThat(b.getAction(DvoPolicyGateAction.class).getCalls())
                .singleElement()
                .extracting(DvoPolicyGateAction.Call::getState)
                .isEqualTo("Waiting for approval");

            gate.setApproval(
                StubFixtures.decided(
                    ApprovalStatus.APPROVED, VoteKind.APPROVE, "Alice Approver", "ok"));
            r.assertBuildStatus(Result.SUCCESS, r.waitForCompletion(b));

            r.assertLogContains("decision=allow approvers=[Alice Approver]", b);
            // The saved approval id was used: the gate was asked once, before the restart.
            assertThat(gate.requests("POST", "/api/v1/gate"::equals)).hasSize(1);
            assertThat(gate.requests("POST", p -> p.endsWith("/start"))).hasSize(1);
            assertThat(PauseAndActionTest.pausedGateNodes(b)).isEmpty();
          });
    }
  }
}
