package io.dvo.gate.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.hudson.plugins.folder.Folder;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.fasterxml.jackson.databind.JsonNode;
import hudson.model.Fingerprint;
import hudson.model.Result;
import hudson.util.FormValidation;
import hudson.util.Secret;
import io.dvo.gate.json.Json;
import io.dvo.gate.pipeline.stub.StubFixtures;
import io.dvo.gate.pipeline.stub.StubGate;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * Which gate credential a step uses: the controller's own (scope System, out of jobs' reach), a
 * step's or a folder's one resolved in the build's context, and usage tracked on the build.
 */
@WithJenkins
class DvoPolicyGateCredentialsTest {

  private JenkinsRule r;
  private StubGate gate;

  @BeforeEach
  void setUp(JenkinsRule rule) throws Exception {
    r = rule;
    gate = StubGate.start();
    GateSetup.configure(gate);
    gate.answerGate(StubFixtures.allow());
  }

  @AfterEach
  void tearDown() {
    gate.close();
  }

  private WorkflowRun run(WorkflowJob job, String script) throws Exception {
    job.setDefinition(new CpsFlowDefinition(script, true));
    return r.waitForCompletion(job.scheduleBuild2(0).waitForStart());
  }

  private JsonNode lastGateRequest() throws Exception {
    var posts = gate.requests("POST", "/api/v1/gate"::equals);
    return Json.mapper().readTree(posts.get(posts.size() - 1).body());
  }

  @Test
  void theGlobalCredentialIsASystemOneThatJobsCannotBind() throws Exception {
    WorkflowJob job = r.createProject(WorkflowJob.class, "leak");
    WorkflowRun b =
        run(
            job,
            "withCredentials([string(credentialsId: '"
                + GateSetup.CREDENTIALS_ID
                + "', variable: 'K')]) { echo 'bound' }");

    r.assertBuildStatus(Result.FAILURE, b);
    r.assertLogContains(
        "Could not find credentials entry with ID '" + GateSetup.CREDENTIALS_ID + "'", b);
    r.assertLogNotContains("bound", b);

    // What the warning is about: a Global credential is every job's to bind.
    SystemCredentialsProvider.getInstance()
        .getCredentials()
        .add(
            new StringCredentialsImpl(
                CredentialsScope.GLOBAL, "shared-key", "shared", Secret.fromString("x")));
    r.assertBuildStatus(
        Result.SUCCESS,
        run(
            job,
            "withCredentials([string(credentialsId: 'shared-key', variable: 'K')]) {"
                + " echo 'bound' }"));
  }

  @Test
  void theGlobalCredentialsUseIsTrackedOnTheBuild() throws Exception {
    WorkflowJob job = r.createProject(WorkflowJob.class, "deploy");
    WorkflowRun b = run(job, "dvoPolicyGate(environment: 'dev')");

    r.assertBuildStatus(Result.SUCCESS, b);
    Fingerprint fingerprint =
        CredentialsProvider.getFingerprintOf(
            DvoPolicyGateConfiguration.findCredentials(GateSetup.CREDENTIALS_ID));
    assertThat(fingerprint).isNotNull();
    assertThat(fingerprint.getJobs()).contains("deploy");
  }

  @Test
  void aStepsCredentialIsResolvedInTheBuildsContextAndTracked() throws Exception {
    Folder team = r.jenkins.createProject(Folder.class, "payments");
    StringCredentialsImpl key = GateSetup.addFolderCredential(team, "payments-key", "pay-secret");
    WorkflowJob job = team.createProject(WorkflowJob.class, "deploy");

    WorkflowRun b = run(job, "dvoPolicyGate(environment: 'dev', credentialsId: 'payments-key')");

    r.assertBuildStatus(Result.SUCCESS, b);
    assertThat(gate.requests("POST", "/api/v1/gate"::equals).get(0).header("X-DVO-API-Key"))
        .isEqualTo("pay-secret");
    r.assertLogNotContains("pay-secret", b);
    Fingerprint fingerprint = CredentialsProvider.getFingerprintOf(key);
    assertThat(fingerprint).isNotNull();
    assertThat(fingerprint.getJobs()).contains("payments/deploy");
  }

  @Test
  void aStepCannotNameTheControllersSystemCredential() throws Exception {
    WorkflowJob job = r.createProject(WorkflowJob.class, "sneaky");

    WorkflowRun b =
        run(
            job,
            "dvoPolicyGate(environment: 'dev', credentialsId: '" + GateSetup.CREDENTIALS_ID + "')");

    r.assertBuildStatus(Result.FAILURE, b);
    r.assertLogContains("were not found, or are not Secret text credentials this job may use", b);
    assertThat(gate.requests()).isEmpty();
  }

  @Test
  void aFolderPinsTheTenantAndTheCredentialOfItsJobs() throws Exception {
    Folder team = r.jenkins.createProject(Folder.class, "payments");
    GateSetup.addFolderCredential(team, "payments-key", "pay-secret");
    DvoPolicyGateFolderProperty pin = new DvoPolicyGateFolderProperty();
    pin.setTenant("payments");
    pin.setCredentialsId("payments-key");
    team.getProperties().add(pin);
    Folder sub = team.createProject(Folder.class, "services");
    WorkflowJob job = sub.createProject(WorkflowJob.class, "deploy");

    r.assertBuildStatus(Result.SUCCESS, run(job, "dvoPolicyGate(environment: 'dev')"));
    assertThat(lastGateRequest().path("tenant_id").asText()).isEqualTo("payments");
    assertThat(gate.requests("POST", "/api/v1/gate"::equals).get(0).header("X-DVO-API-Key"))
        .isEqualTo("pay-secret");

    WorkflowRun other = run(job, "dvoPolicyGate(environment: 'dev', tenant: 'billing')");
    r.assertBuildStatus(Result.FAILURE, other);
    r.assertLogContains("folder 'payments' pins tenant 'payments'", other);
    WorkflowRun otherKey =
        run(
            job,
            "dvoPolicyGate(environment: 'dev', credentialsId: '" + GateSetup.CREDENTIALS_ID + "')");
    r.assertBuildStatus(Result.FAILURE, otherKey);
    r.assertLogContains("pins the gate credential 'payments-key'", otherKey);
    assertThat(gate.requests("POST", "/api/v1/gate"::equals)).hasSize(1);
  }

  @Test
  void theFolderSettingsSurviveTheConfigurationPage() throws Exception {
    Folder team = r.jenkins.createProject(Folder.class, "payments");
    GateSetup.addFolderCredential(team, "payments-key", "pay-secret");
    DvoPolicyGateFolderProperty pin = new DvoPolicyGateFolderProperty();
    pin.setTenant("payments");
    pin.setCredentialsId("payments-key");
    team.getProperties().add(pin);

    r.configRoundtrip(team);

    DvoPolicyGateFolderProperty saved = team.getProperties().get(DvoPolicyGateFolderProperty.class);
    assertThat(saved.getTenant()).isEqualTo("payments");
    assertThat(saved.getCredentialsId()).isEqualTo("payments-key");
  }

  @Test
  void choosingAGlobalCredentialIsWarnedAbout() throws Exception {
    SystemCredentialsProvider.getInstance()
        .getCredentials()
        .add(
            new StringCredentialsImpl(
                CredentialsScope.GLOBAL, "shared-key", "shared", Secret.fromString("x")));
    DvoPolicyGateConfiguration config = DvoPolicyGateConfiguration.get();

    FormValidation global = config.doCheckCredentialsId("shared-key", "API_KEY");
    FormValidation system = config.doCheckCredentialsId(GateSetup.CREDENTIALS_ID, "API_KEY");

    assertThat(global.kind).isEqualTo(FormValidation.Kind.WARNING);
    assertThat(global.getMessage()).contains("scope Global").contains("withCredentials");
    assertThat(system.kind).isEqualTo(FormValidation.Kind.OK);

    Folder team = r.jenkins.createProject(Folder.class, "payments");
    GateSetup.addFolderCredential(team, "payments-key", "pay-secret");
    DvoPolicyGateFolderProperty.DescriptorImpl folderForm =
        r.jenkins.getDescriptorByType(DvoPolicyGateFolderProperty.DescriptorImpl.class);
    assertThat(folderForm.doCheckCredentialsId(team, "shared-key").kind)
        .isEqualTo(FormValidation.Kind.WARNING);
    assertThat(folderForm.doCheckCredentialsId(team, "payments-key").kind)
        .isEqualTo(FormValidation.Kind.OK);
    assertThat(folderForm.doCheckCredentialsId(team, GateSetup.CREDENTIALS_ID).kind)
        .isEqualTo(FormValidation.Kind.ERROR); // system credentials are not the folder's
  }
}
