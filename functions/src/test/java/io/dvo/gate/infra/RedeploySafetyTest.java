package io.dvo.gate.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.infra.DeploymentSimulator.AzureState;
import io.dvo.gate.infra.DeploymentSimulator.Deployed;
import io.dvo.gate.infra.DeploymentSimulator.Result;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 19: a second {@code az deployment group create} must not take anything away. The template
 * is parsed (tools/bicep-check) and deployed twice on paper ({@link DeploymentSimulator}): once
 * with every parameter, then again with only the required ones, as an operator who forgot the
 * secrets would.
 */
class RedeploySafetyTest {
  private static final Pattern KEY_VAULT_REFERENCE =
      Pattern.compile("^@Microsoft\\.KeyVault\\((.*)\\)$", Pattern.CASE_INSENSITIVE);

  /** Key Vault Secrets User: read secret contents (what Key Vault references need). */
  private static final String KEY_VAULT_SECRETS_USER = "4633458b-17de-408a-b874-0445c86b69e6";

  private static DeploymentSimulator simulator;

  @BeforeAll
  static void readTemplate() {
    simulator =
        new DeploymentSimulator(BicepChecker.model(BicepChecker.INFRA.resolve("main.bicep")));
  }

  /** The parameters main.bicep requires (no default). */
  static Map<String, Object> requiredParams() {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("namePrefix", "dvogate");
    params.put("environmentName", "prod");
    params.put("entraClientId", "11111111-2222-3333-4444-555555555555");
    return params;
  }

  /** Every parameter given a value of its own (an allowed value other than the default). */
  static Map<String, Object> everyParam(JsonNode model) {
    Map<String, Object> params = requiredParams();
    for (Iterator<Map.Entry<String, JsonNode>> it = model.get("params").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> param = it.next();
      String name = param.getKey();
      if (params.containsKey(name)) {
        continue;
      }
      params.put(name, testValue(name, param.getValue()));
    }
    return params;
  }

  private static Object testValue(String name, JsonNode param) {
    JsonNode fallback = param.get("default");
    for (JsonNode decorator : param.get("decorators")) {
      if (decorator.get("name").asText().equals("allowed")) {
        for (JsonNode allowed : decorator.get("args").get(0).get("array")) {
          if (!allowed.equals(fallback)) {
            return allowed.has("num") ? allowed.get("num").asLong() : allowed.get("str").asText();
          }
        }
      }
    }
    return switch (param.get("type").asText()) {
      case "int" -> fallback.has("num") ? fallback.get("num").asLong() + 1 : 1L;
      case "bool" -> !(fallback.has("bool") && fallback.get("bool").asBoolean());
      case "array" -> List.of("value-of-" + name);
      case "object" -> Map.of("key", "value-of-" + name);
      default -> "value-of-" + name;
    };
  }

  private static Map<String, String> resolved(AzureState state) {
    Map<String, String> values = new LinkedHashMap<>();
    state.appSettings.forEach(
        (name, value) -> {
          Matcher reference = KEY_VAULT_REFERENCE.matcher(value);
          values.put(
              name,
              reference.matches() ? state.secrets.get(secretName(reference.group(1))) : value);
        });
    return values;
  }

  /** The secret a setting's Key Vault reference names. */
  static String referencedSecret(String settingValue) {
    Matcher reference = KEY_VAULT_REFERENCE.matcher(settingValue);
    assertThat(reference.matches()).as("a Key Vault reference: " + settingValue).isTrue();
    return secretName(reference.group(1));
  }

  /** The secret a reference names: SecretName=... or the last path segment of SecretUri. */
  static String secretName(String reference) {
    for (String part : reference.split(";")) {
      String[] pair = part.split("=", 2);
      if (pair[0].trim().equalsIgnoreCase("SecretName")) {
        return pair[1].trim();
      }
      if (pair[0].trim().equalsIgnoreCase("SecretUri")) {
        String uri = pair[1].trim();
        Matcher secret = Pattern.compile("/secrets/([^/]+)/?(?:[0-9a-f]{32})?$").matcher(uri);
        if (secret.find()) {
          return secret.group(1);
        }
      }
    }
    throw new AssertionError("a Key Vault reference without a secret name: " + reference);
  }

  @Test
  void aRedeployWithOnlyTheRequiredParametersKeepsEverySettingAndEverySecret() {
    Result first = simulator.deploy(everyParam(simulator.model()), new AzureState());
    AzureState operated = first.after().copy();
    // What the docs let operators add by hand between deployments.
    operated.appSettings.put("DVO_TENANT_MAP", "{\"role:admin\":[\"*\"]}");
    operated.appSettings.put("WEBSITE_TIME_ZONE_BY_HAND", "1");

    Result second = simulator.deploy(requiredParams(), operated);

    Map<String, String> before = resolved(operated);
    Map<String, String> after = resolved(second.after());
    List<String> lost = new ArrayList<>();
    before.forEach(
        (name, value) -> {
          String now = after.get(name);
          boolean rotated = now != null && now.startsWith("new-guid-") && !now.equals(value);
          if (now == null || (!now.equals(value) && !rotated)) {
            lost.add(name + " (was " + value + ", now " + now + ")");
          }
        });
    assertThat(before)
        .as("the first deployment wrote what its parameters asked for")
        .containsKeys(
            "DVO_API_KEYS", "DVO_TEAMS_WEBHOOK_URL", "DVO_TEAMS_WEBHOOK_ROUTES", "DVO_ROLE_MAP");
    assertThat(lost).as("settings lost or changed by a redeploy without parameters").isEmpty();
    assertThat(after.values()).as("every Key Vault reference resolves").doesNotContainNull();
  }

  @Test
  void aSecretIsReplacedOnlyByANonEmptyParameter() {
    Map<String, Object> params = everyParam(simulator.model());
    AzureState first = simulator.deploy(params, new AzureState()).after();

    Map<String, Object> rotate = requiredParams();
    rotate.put("apiKeys", "[{\"id\":\"new\"}]");
    AzureState second = simulator.deploy(rotate, first).after();

    assertThat(resolved(second)).containsEntry("DVO_API_KEYS", "[{\"id\":\"new\"}]");
    assertThat(resolved(second).get("DVO_TEAMS_WEBHOOK_URL"))
        .isEqualTo(resolved(first).get("DVO_TEAMS_WEBHOOK_URL"))
        .isNotEmpty();
  }

  @Test
  void theFirstDeploymentReadsTheCallersAddressFromTheFrontEndsForwardedForEntry() {
    AzureState first = simulator.deploy(requiredParams(), new AzureState()).after();
    assertThat(first.appSettings)
        .as("the front end's X-Forwarded-For entry is read from the first deployment on")
        .containsEntry("DVO_CLIENT_ADDRESS_HEADER", "X-Forwarded-For");

    AzureState operated = first.copy();
    operated.appSettings.put("DVO_CLIENT_ADDRESS_HEADER", "X-Azure-SocketIP");
    assertThat(simulator.deploy(requiredParams(), operated).after().appSettings)
        .as("a redeploy without the parameter keeps an operator's choice")
        .containsEntry("DVO_CLIENT_ADDRESS_HEADER", "X-Azure-SocketIP");

    Map<String, Object> given = requiredParams();
    given.put("clientAddressHeader", "X-Client-IP");
    assertThat(simulator.deploy(given, operated).after().appSettings)
        .containsEntry("DVO_CLIENT_ADDRESS_HEADER", "X-Client-IP");
  }

  @Test
  void everyKeyVaultReferenceIsWrittenAfterTheRoleAssignmentThatLetsTheAppReadIt() {
    Result result = simulator.deploy(everyParam(simulator.model()), new AzureState());

    List<Deployed> secretReaders =
        result.deployed().stream()
            .filter(d -> d.kind().equals("Microsoft.Authorization/roleAssignments"))
            .filter(
                d ->
                    properties(d)
                        .get("roleDefinitionId")
                        .toString()
                        .contains(KEY_VAULT_SECRETS_USER))
            .filter(
                d -> properties(d).get("principalId").toString().contains("identity.principalId"))
            .toList();
    assertThat(secretReaders).as("a Key Vault Secrets User assignment for the app").isNotEmpty();

    List<Deployed> writers =
        result.deployed().stream().filter(RedeploySafetyTest::writesKeyVaultReferences).toList();
    assertThat(writers).as("resources that write Key Vault references").isNotEmpty();
    for (Deployed writer : writers) {
      assertThat(secretReaders)
          .as(writer.path() + " must wait for the app's Key Vault Secrets User role assignment")
          .anyMatch(reader -> simulator.happensAfter(writer, reader));
      for (Deployed secret :
          result.deployed().stream()
              .filter(d -> d.kind().equals("Microsoft.KeyVault/vaults/secrets"))
              .toList()) {
        assertThat(simulator.happensAfter(writer, secret))
            .as(writer.path() + " must wait for secret " + secret.path())
            .isTrue();
      }
    }
  }

  private static boolean writesKeyVaultReferences(Deployed deployed) {
    if (deployed.body() == null) {
      return false;
    }
    String text = deployed.body().toString();
    return (deployed.kind().equals("Microsoft.Web/sites/config")
            || deployed.kind().equals("Microsoft.Web/sites"))
        && text.contains("@Microsoft.KeyVault(");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> properties(Deployed deployed) {
    return (Map<String, Object>) deployed.body().get("properties");
  }
}
