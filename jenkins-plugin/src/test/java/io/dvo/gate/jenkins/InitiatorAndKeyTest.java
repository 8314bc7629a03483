package io.dvo.gate.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import hudson.model.Cause;
import hudson.model.CauseAction;
import hudson.model.Result;
import hudson.model.User;
import hudson.security.ACL;
import hudson.security.ACLContext;
import hudson.tasks.Mailer;
import hudson.triggers.TimerTrigger;
import io.dvo.gate.json.Json;
import io.dvo.gate.api.Initiator;
import io.dvo.gate.pipeline.stub.StubFixtures;
import io.dvo.gate.pipeline.stub.StubGate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.cps.replay.ReplayAction;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The person behind a build, from its causes (the gate never lets them approve it), and an
 * idempotency key per build that a recreated job's build #1 does not share with the old #1.
 */
@WithJenkins
class InitiatorAndKeyTest {

  private static final String SCRIPT = "dvoPolicyGate(environment: 'dev')";

  private JenkinsRule r;
  private StubGate gate;

  @BeforeEach
  void setUp(JenkinsRule rule) throws Exception {
    r = rule;
    gate = StubGate.start();
    GateSetup.configure(gate);
    gate.answerGate(StubFixtures.allow());
    User uma = User.getById("u1", true);
    uma.setFullName("Uma One");
    uma.addProperty(new Mailer.UserProperty("uma@example.com"));
    User.getById("u2", true).setFullName("Una Two");
  }

  @AfterEach
  void tearDown() {
    gate.close();
  }

  private WorkflowJob job(String name, String script) throws Exception {
    WorkflowJob job = r.createProject(WorkflowJob.class, name);
    job.setDefinition(new CpsFlowDefinition(script, true));
    return job;
  }

  private WorkflowRun run(WorkflowJob job, Cause cause) throws Exception {
    return r.assertBuildStatusSuccess(job.scheduleBuild2(0, new CauseAction(cause)));
  }

  @Test
  void thePersonWhoStartedTheBuildIsTheInitiatorWithNameAndEmail() throws Exception {
    gate.answerGate(StubFixtures.pending(gate.url()));
    gate.setApproval(StubFixtures.pendingApproval());
    WorkflowJob job = job("deploy", SCRIPT);

    WorkflowRun b =
        job.scheduleBuild2(0, new CauseAction(new Cause.UserIdCause("u1"))).waitForStart();
    r.waitForMessage("Approval required", b);

    r.assertLogContains("(tenant acme), started by Uma One (u1).", b);
    List<StepExecution> running =
        b.getExecution().getCurrentExecutions(true).get(10, TimeUnit.SECONDS);
    assertThat(running)
        .singleElement()
        .extracting(e -> ((DvoPolicyGateExecution) e).initiator())
        .isEqualTo(new Initiator("u1", "uma@example.com", "Uma One"));
    b.doStop();
    r.waitForCompletion(b);
  }

  @Test
  void aBuildTriggeredUpstreamIsInitiatedByWhoeverStartedTheUpstreamBuild() throws Exception {
    WorkflowRun upstream = run(job("build", "echo 'built'"), new Cause.UserIdCause("u1"));

    WorkflowRun b = run(job("deploy", SCRIPT), new Cause.UpstreamCause(upstream));

    r.assertLogContains("started by Uma One (u1).", b);
  }

  @Test
  void aTimerNamesNobody() throws Exception {
    WorkflowRun b = run(job("nightly", SCRIPT), new TimerTrigger.TimerTriggerCause());

    r.assertLogContains("(tenant acme).", b);
    r.assertLogNotContains("started by", b);
  }

  @Test
  void aReplayIsInitiatedByThePersonWhoReplayedIt() throws Exception {
    r.jenkins.setSecurityRealm(r.createDummySecurityRealm());
    WorkflowJob job = job("deploy", SCRIPT);
    WorkflowRun original = run(job, new Cause.UserIdCause("u1"));

    try (ACLContext ignored = ACL.as2(User.getById("u2", false).impersonate2())) {
      original.getAction(ReplayAction.class).run2(SCRIPT, Map.of(), true);
    }
    r.waitUntilNoActivity();

    WorkflowRun replay = job.getBuildByNumber(2);
    r.assertBuildStatus(Result.SUCCESS, replay);
    r.assertLogContains("started by Una Two (u2).", replay);
    r.assertLogNotContains("u1", replay);
  }

  @Test
  void aRecreatedJobsBuildOneDoesNotShareTheOldBuildOnesKey() throws Exception {
    WorkflowJob first = job("deploy", SCRIPT);
    run(first, new Cause.UserIdCause("u1"));
    first.delete();
    WorkflowJob again = job("deploy", SCRIPT);
    run(again, new Cause.UserIdCause("u1"));

    List<StubGate.Recorded> posts = gate.requests("POST", "/api/v1/gate"::equals);
    assertThat(posts).hasSize(2);
    JsonNode old = Json.mapper().readTree(posts.get(0).body());
    JsonNode recreated = Json.mapper().readTree(posts.get(1).body());
    assertThat(recreated.path("source").path("url").asText())
        .isEqualTo(old.path("source").path("url").asText()); // the same .../job/deploy/1/
    assertThat(recreated.path("idempotency_key").asText())
        .isNotEqualTo(old.path("idempotency_key").asText());
  }
}
