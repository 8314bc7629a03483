package io.dvo.gate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dvo.gate.cli.PolicyCommandTest.Run;
import io.dvo.gate.http.auth.ApiKeys;
import io.dvo.gate.identity.Principal;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** {@code dvo-gate api-key}: the printed entry authenticates the printed key, and nothing else. */
class ApiKeyCommandTest {
  private static Run withStdin(String input, String... args) {
    InputStream original = System.in;
    System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
    try {
      return PolicyCommandTest.run(args);
    } finally {
      System.setIn(original);
    }
  }

  @Test
  void newPrintsAFreshKeyAndTheEntryThatAcceptsIt() throws Exception {
    Run run =
        PolicyCommandTest.run(
            "api-key",
            "new",
            "--id",
            "jenkins-prod",
            "--roles",
            "gate_caller",
            "--tenants",
            "payments,acme",
            "--name",
            "Jenkins prod");
    assertThat(run.exit()).isZero();
    String[] lines = run.out().split("\\R");
    String key = lines[1];
    assertThat(key).startsWith("dvo_");
    assertThat(Base64.getUrlDecoder().decode(key.substring(4))).hasSize(32);
    String entryJson = lines[lines.length - 1];
    JsonNode entry = new ObjectMapper().readTree(entryJson);
    assertThat(entry.get("sha256").asText()).isEqualTo(ApiKeys.sha256Hex(key));
    assertThat(entryJson).doesNotContain(key);

    ApiKeys keys = ApiKeys.parse("[" + entryJson + "]");
    Principal who = keys.match(key).orElseThrow().principal();
    assertThat(who.id()).isEqualTo("apikey:jenkins-prod");
    assertThat(who.name()).isEqualTo("Jenkins prod");
    assertThat(who.roles()).containsExactly("gate_caller");
    assertThat(who.tenants()).containsExactlyInAnyOrder("payments", "acme");
    assertThat(keys.match(key + "x")).isEmpty();
  }

  @Test
  void everyNewKeyIsDifferent() {
    String first =
        PolicyCommandTest.run("api-key", "new", "--id", "a", "--roles", "r", "--tenants", "t")
            .out();
    String second =
        PolicyCommandTest.run("api-key", "new", "--id", "a", "--roles", "r", "--tenants", "t")
            .out();
    assertThat(first.split("\\R")[1]).isNotEqualTo(second.split("\\R")[1]);
  }

  @Test
  void hashReadsTheKeyFromStandardInput() {
    Run run = withStdin("dvo_some-key\n", "api-key", "hash");
    assertThat(run.exit()).isZero();
    assertThat(run.out().trim()).isEqualTo(ApiKeys.sha256Hex("dvo_some-key"));
  }

  @Test
  void hashWithoutInputIsAUsageError() {
    Run run = withStdin("", "api-key", "hash");
    assertThat(run.exit()).isEqualTo(Main.USAGE);
    assertThat(run.err()).contains("no key on standard input").doesNotContain("Exception");
  }

  @Test
  void badOptionsAreUsageErrors() {
    Run badId =
        PolicyCommandTest.run("api-key", "new", "--id", "a b", "--roles", "r", "--tenants", "t");
    assertThat(badId.exit()).isEqualTo(Main.USAGE);
    assertThat(badId.err()).contains("--id must be");
    Run missingTenants = PolicyCommandTest.run("api-key", "new", "--id", "a", "--roles", "r");
    assertThat(missingTenants.exit()).isEqualTo(Main.USAGE);
    assertThat(missingTenants.err()).contains("--tenants");
    Run emptyRoles =
        PolicyCommandTest.run("api-key", "new", "--id", "a", "--roles", ",", "--tenants", "t");
    assertThat(emptyRoles.exit()).isEqualTo(Main.USAGE);
    assertThat(emptyRoles.out()).doesNotContain("dvo_");
  }
}
