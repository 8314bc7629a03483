package io.dvo.gate.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Result;
import io.dvo.gate.api.Reason;
import io.dvo.gate.pipeline.stub.StubFixtures;
import io.dvo.gate.pipeline.stub.StubGate;
import java.util.concurrent.TimeUnit;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * When a build completes, {@link DvoPolicyGateRunListener} reports the outcome of the run each
 * allowed gate call started, with the build's result, under the call's key and credential; the
 * answer is kept on the build's gate page. A denied call started no run and is not reported.
 */
@WithJenkins
class RunOutcomeListenerTest {
  private JenkinsRule r;
  private StubGate gate;

  @BeforeEach
  void setUp(JenkinsRule rule) throws Exception {
    r = rule;
    gate = StubGate.start();
    GateSetup.configure(gate);
    gate.requireKey(GateSetup.SECRET);
  }

  @AfterEach
  void tearDown() {
    gate.close();
  }

  private static DvoPolicyGateAction.Call reportedCall(WorkflowRun b) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < until) {
      DvoPolicyGateAction.Call call = b.getAction(DvoPolicyGateAction.class).getCalls().get(0);
      if (call.getOutcomeReport() != null) {
        return call;
      }
      TimeUnit.MILLISECONDS.sleep(20);
    }
    throw new AssertionError("the build's gate call never got its outcome report");
  }

  @Test
  void aSuccessfulBuildReportsSucceededAndThePageShowsTheAnswer() throws Exception {
    gate.answerGate(StubFixtures.allow());

    WorkflowRun b =
        r.assertBuildStatus(
            Result.SUCCESS,
            r.waitForCompletion(
                GateSetup.start(r, "deploy", "dvoPolicyGate(environment: 'dev')")));

    StubGate.Recorded report = gate.awaitRequest("POST", p -> p.endsWith("/outcome"));
    assertThat(report.body()).contains("\"status\":\"succeeded\"");
    assertThat(report.header("X-DVO-API-Key")).isEqualTo(GateSetup.SECRET);
    DvoPolicyGateAction.Call call = reportedCall(b);
    assertThat(report.path()).startsWith("/api/v1/runs/" + StubFixtures.TENANT + "/");
    assertThat(call.getOutcomeReport())
        .isEqualTo(
            "DVO Policy Gate: reported run outcome succeeded (12 of 12 credits used)");
    r.assertLogContains("reporting run outcome succeeded (build result SUCCESS)", b);
    assertThat(r.createWebClient().getPage(b, "dvo-policy-gate").asNormalizedText())
        .contains("reported run outcome succeeded");
  }

  @Test
  void aBuildThatFailsAfterTheGateReportsFailed() throws Exception {
    gate.answerGate(StubFixtures.allow());

    WorkflowRun b =
        r.assertBuildStatus(
            Result.FAILURE,
            r.waitForCompletion(
                GateSetup.start(
                    r, "deploy", "dvoPolicyGate(environment: 'dev'); error('deploy failed')")));

    assertThat(gate.awaitRequest("POST", p -> p.endsWith("/outcome")).body())
        .contains("\"status\":\"failed\"");
    assertThat(reportedCall(b).getOutcomeReport()).contains("reported run outcome failed");
  }

  @Test
  void aDeniedCallStartedNoRunAndIsNotReported() throws Exception {
    gate.answerGate(StubFixtures.deny(new Reason("r1", "no")));

    WorkflowRun b =
        r.assertBuildStatus(
            Result.FAILURE,
            r.waitForCompletion(
                GateSetup.start(r, "deploy", "dvoPolicyGate(environment: 'dev')")));

    r.assertLogNotContains("reporting run outcome", b);
    assertThat(gate.requests("POST", p -> p.endsWith("/outcome"))).isEmpty();
    assertThat(b.getAction(DvoPolicyGateAction.class).getCalls().get(0).getOutcomeReport())
        .isNull();
  }
}
