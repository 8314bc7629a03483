package io.dvo.gate.jenkins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.security.ACL;
import hudson.security.ACLContext;
import hudson.security.AccessDeniedException3;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.dvo.gate.api.WhoAmI;
import io.dvo.gate.pipeline.stub.StubGate;
import java.util.List;
import jenkins.model.Jenkins;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

@WithJenkins
class DvoPolicyGateConfigurationTest {

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
  void configurationPageKeepsEverySettingOnSave() throws Exception {
    DvoPolicyGateConfiguration config = DvoPolicyGateConfiguration.get();
    config.setCredentialHeader("AUTHORIZATION_BEARER");
    config.setConnectTimeoutSeconds(7);
    config.setReadTimeoutSeconds(45);

    r.configRoundtrip();

    DvoPolicyGateConfiguration saved = DvoPolicyGateConfiguration.get();
    assertThat(saved.getGateUrl()).isEqualTo(gate.url());
    assertThat(saved.getDefaultTenant()).isEqualTo("acme");
    assertThat(saved.getCredentialsId()).isEqualTo("gate-key");
    assertThat(saved.getCredentialHeader()).isEqualTo("AUTHORIZATION_BEARER");
    assertThat(saved.getConnectTimeoutSeconds()).isEqualTo(7);
    assertThat(saved.getReadTimeoutSeconds()).isEqualTo(45);
  }

  @Test
  void settingsSurviveAReloadFromDisk() {
    DvoPolicyGateConfiguration reloaded = new DvoPolicyGateConfiguration(); // load()s the XML
    assertThat(reloaded.getGateUrl()).isEqualTo(gate.url());
    assertThat(reloaded.getCredentialsId()).isEqualTo("gate-key");
  }

  @Test
  void anUnknownCredentialHeaderIsRefused() {
    assertThatThrownBy(() -> DvoPolicyGateConfiguration.get().setCredentialHeader("x-api-key"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("API_KEY, AUTHORIZATION_BEARER or NONE");
  }

  private static FormValidation testConnection(String credentialsId, String header) {
    return DvoPolicyGateConfiguration.get()
        .doTestConnection(
            DvoPolicyGateConfiguration.get().getGateUrl(), credentialsId, header, "acme", "5", "5");
  }

  @Test
  void testConnectionAsksTheGateWhoTheKeyIsAndShowsWhatItMayDo() throws Exception {
    gate.requireKey(GateSetup.SECRET);

    FormValidation result = testConnection("gate-key", "API_KEY");

    assertThat(result.kind).as(result.getMessage()).isEqualTo(FormValidation.Kind.OK);
    assertThat(result.getMessage())
        .contains("apikey:jenkins")
        .contains("roles: gate_caller")
        .contains("may ask the gate and start approved runs for tenant acme");
    StubGate.Recorded whoami = gate.awaitRequest("GET", "/api/v1/whoami"::equals);
    assertThat(whoami.header("X-DVO-API-Key")).isEqualTo(GateSetup.SECRET);
    assertThat(gate.requests("GET", "/api/v1/health"::equals)).isEmpty();
    assertThat(result.renderHtml()).doesNotContain(GateSetup.SECRET);
  }

  @Test
  void testConnectionWithAKeyTheGateRefusesIsAnErrorNotConnected() {
    gate.requireKey("the-key-the-gate-knows");

    FormValidation result = testConnection("gate-key", "API_KEY");

    assertThat(result.kind).isEqualTo(FormValidation.Kind.ERROR);
    assertThat(result.getMessage())
        .contains("unknown API key")
        .contains("does not accept this credential")
        .doesNotContain("Connected");
    assertThat(gate.requests("GET", "/api/v1/whoami"::equals)).hasSize(1); // not retried
  }

  @Test
  void testConnectionWarnsAboutAKeyThatMayDoMoreThanAsk() {
    gate.answerWhoami(
        new WhoAmI(
            "apikey:root",
            "Root",
            "",
            List.of("admin", "gate_caller"),
            List.of("*"),
            WhoAmI.API_KEY));

    FormValidation result = testConnection("gate-key", "API_KEY");

    assertThat(result.kind).isEqualTo(FormValidation.Kind.WARNING);
    assertThat(result.getMessage()).contains("also holds admin");
  }

  @Test
  void testConnectionReportsAMissingCredentialAsAnError() {
    FormValidation result = testConnection("nope", "AUTHORIZATION_BEARER");

    assertThat(result.kind).isEqualTo(FormValidation.Kind.ERROR);
    assertThat(result.getMessage()).contains("'nope' were not found");
    assertThat(gate.requests()).isEmpty();
  }

  @Test
  void testConnectionRequiresAdministerPermission() {
    r.jenkins.setSecurityRealm(r.createDummySecurityRealm());
    r.jenkins.setAuthorizationStrategy(
        new MockAuthorizationStrategy().grant(Jenkins.READ).everywhere().to("reader"));

    try (ACLContext ignored = ACL.as2(hudson.model.User.getById("reader", true).impersonate2())) {
      assertThatThrownBy(
              () ->
                  DvoPolicyGateConfiguration.get()
                      .doTestConnection(gate.url(), "gate-key", "API_KEY", "acme", "5", "5"))
          .isInstanceOf(AccessDeniedException3.class);
      assertThat(DvoPolicyGateConfiguration.get().doCheckCredentialsId("gate-key", "API_KEY").kind)
          .isEqualTo(FormValidation.Kind.OK); // says nothing about credentials to readers
      ListBoxModel items = DvoPolicyGateConfiguration.get().doFillCredentialsIdItems("");
      assertThat(items).extracting(o -> o.value).doesNotContain("gate-key");
    }
    assertThat(gate.requests()).isEmpty();
  }

  @Test
  void administratorsSeeSecretTextCredentialsToChooseFrom() {
    ListBoxModel items = DvoPolicyGateConfiguration.get().doFillCredentialsIdItems("");
    assertThat(items).extracting(o -> o.value).contains("gate-key");
  }

  @Test
  void gateUrlValidationUsesTheClientsRules() {
    DvoPolicyGateConfiguration config = DvoPolicyGateConfiguration.get();
    assertThat(config.doCheckGateUrl("https://gate.example.com").kind)
        .isEqualTo(FormValidation.Kind.OK);
    assertThat(config.doCheckGateUrl("http://gate.example.com").kind)
        .isEqualTo(FormValidation.Kind.ERROR);
    assertThat(config.doCheckGateUrl("https://gate.example.com/?code=abc").kind)
        .isEqualTo(FormValidation.Kind.ERROR);
  }
}
