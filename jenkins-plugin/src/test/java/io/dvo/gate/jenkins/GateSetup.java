package io.dvo.gate.jenkins;

import com.cloudbees.hudson.plugins.folder.AbstractFolder;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.CredentialsStore;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.cloudbees.plugins.credentials.domains.Domain;
import hudson.util.Secret;
import io.dvo.gate.pipeline.stub.StubFixtures;
import io.dvo.gate.pipeline.stub.StubGate;
import java.io.IOException;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jvnet.hudson.test.JenkinsRule;

/** The plugin configured against a {@link StubGate}, as the README tells administrators. */
final class GateSetup {
  static final String SECRET = "s3cret-gate-api-key";
  static final String CREDENTIALS_ID = "gate-key";

  private GateSetup() {}

  /**
   * Points the global configuration at the stub gate, with the key as a {@code SYSTEM} credential
   * (the scope the README prescribes: jobs cannot bind it).
   */
  static void configure(StubGate gate) throws IOException {
    SystemCredentialsProvider credentials = SystemCredentialsProvider.getInstance();
    credentials
        .getCredentials()
        .add(
            new StringCredentialsImpl(
                CredentialsScope.SYSTEM, CREDENTIALS_ID, "gate key", Secret.fromString(SECRET)));
    credentials.save();
    DvoPolicyGateConfiguration config = DvoPolicyGateConfiguration.get();
    config.setGateUrl(gate.url());
    config.setDefaultTenant(StubFixtures.TENANT);
    config.setCredentialsId(CREDENTIALS_ID);
    config.setCredentialHeader("API_KEY");
  }

  /** A Secret text credential in {@code folder}'s own store (visible to its jobs only). */
  static StringCredentialsImpl addFolderCredential(
      AbstractFolder<?> folder, String id, String secret) throws IOException {
    StringCredentialsImpl credential =
        new StringCredentialsImpl(CredentialsScope.GLOBAL, id, id, Secret.fromString(secret));
    for (CredentialsStore store : CredentialsProvider.lookupStores(folder)) {
      if (store.getContext() == folder) {
        store.addCredentials(Domain.global(), credential);
        return credential;
      }
    }
    throw new AssertionError("the folder has no credentials store");
  }

  static WorkflowRun start(JenkinsRule r, String name, String script) throws Exception {
    WorkflowJob job = r.createProject(WorkflowJob.class, name);
    job.setDefinition(new CpsFlowDefinition(script, true));
    return job.scheduleBuild2(0).waitForStart();
  }
}
