package io.dvo.gate.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Result;
import io.dvo.gate.pipeline.stub.StubFixtures;
import io.dvo.gate.pipeline.stub.StubGate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jenkins.util.Timer;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * Jenkins' {@link Timer} is one small pool for all of Jenkins' background work. The old step called
 * the blocking client on it, so a gate that does not answer held a Timer thread per build; a dozen
 * builds starved Jenkins. The step must wait for the gate without holding one.
 */
@WithJenkins
class DvoPolicyGateTimerTest {

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
  void buildsWaitingForASlowGateLeaveTheTimerFree() throws Exception {
    gate.answerGate(StubFixtures.allow());
    gate.delayGate(Duration.ofSeconds(15));
    int builds = 12; // more than the Timer's 10 threads
    List<WorkflowRun> running = new ArrayList<>();
    for (int i = 0; i < builds; i++) {
      WorkflowJob job = r.createProject(WorkflowJob.class, "deploy-" + i);
      job.setDefinition(new CpsFlowDefinition("dvoPolicyGate(environment: 'dev')", true));
      running.add(job.scheduleBuild2(0).waitForStart());
    }
    for (WorkflowRun b : running) {
      r.waitForMessage("Asking whether", b);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (gate.requests("POST", "/api/v1/gate"::equals).size() < builds
        && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(50);
    }
    assertThat(gate.requests("POST", "/api/v1/gate"::equals)).hasSize(builds);

    // Every build's question is in flight; other background work still runs at once.
    long started = System.nanoTime();
    Integer answer = Timer.get().submit(() -> 42).get(3, TimeUnit.SECONDS);
    assertThat(answer).isEqualTo(42);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(3_000);

    for (WorkflowRun b : running) {
      r.assertBuildStatus(Result.SUCCESS, r.waitForCompletion(b));
    }
  }
}
