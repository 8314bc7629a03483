package io.dvo.gate.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Result;
import io.dvo.gate.api.Reason;
import io.dvo.gate.pipeline.GateStepRun;
import io.dvo.gate.pipeline.stub.StubFixtures;
import io.dvo.gate.pipeline.stub.StubGate;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * {@code waitForLock: true}: while the gate denies only because another run holds the
 * environment's lock, the step waits and asks again; once the gate allows, the build goes on.
 * Without it the step fails naming the holder.
 */
@WithJenkins
class LockWaitStepTest {
  private static final Reason HELD =
      new Reason(
          GateStepRun.Settings.LOCK_HELD,
          "one change at a time in production: run \"build-41\" of payments-api has not reported"
              + " its outcome");

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

  @Test
  void theStepWaitsForTheLockThenGoesOn() throws Exception {
    gate.answerGate(StubFixtures.deny(HELD));

    WorkflowRun b =
        GateSetup.start(
            r,
            "deploy",
            "dvoPolicyGate(environment: 'production', waitForLock: true, pollSeconds: 1)");
    r.waitForMessage("Waiting for the lock: one change at a time in production", b);
    gate.answerGate(StubFixtures.allow());

    r.assertBuildStatus(Result.SUCCESS, r.waitForCompletion(b));
    assertThat(gate.requests("POST", p -> p.equals("/api/v1/gate")).size()).isGreaterThan(1);
  }

  @Test
  void withoutItTheStepFailsNamingTheHolder() throws Exception {
    gate.answerGate(StubFixtures.deny(HELD));

    WorkflowRun b =
        r.assertBuildStatus(
            Result.FAILURE,
            r.waitForCompletion(
                GateSetup.start(r, "deploy", "dvoPolicyGate(environment: 'production')")));

    r.assertLogContains("run \"build-41\" of payments-api has not reported", b);
  }
}
