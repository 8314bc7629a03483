package io.dvo.gate.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.settings.Setting;
import io.dvo.gate.store.cosmos.CosmosContainer;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 8: the code and the infrastructure agree. Reads the Bicep through its syntax tree (see
 * tools/bicep-check) and compares it with the settings, containers and Java version of the code.
 */
class InfraContractTest {
  private static JsonNode main;
  private static JsonNode model;

  @BeforeAll
  static void readTemplates() {
    main = BicepChecker.facts(BicepChecker.INFRA.resolve("main.bicep"));
    model = BicepChecker.model(BicepChecker.INFRA.resolve("main.bicep"));
  }

  /** The settings a first deployment with every parameter writes (see DeploymentSimulator). */
  private static Map<String, String> deployedSettings() {
    DeploymentSimulator simulator = new DeploymentSimulator(model);
    return simulator
        .deploy(RedeploySafetyTest.everyParam(model), new DeploymentSimulator.AzureState())
        .after()
        .appSettings;
  }

  private static Set<String> bicepGateSettingNames() {
    Set<String> names = new LinkedHashSet<>();
    deployedSettings().keySet().stream().filter(n -> n.startsWith("DVO_")).forEach(names::add);
    return names;
  }

  @Test
  void everyRequiredSettingIsSetByAFirstDeploymentWithOnlyTheRequiredParameters() {
    Set<String> inBicep =
        new DeploymentSimulator(model)
            .deploy(RedeploySafetyTest.requiredParams(), new DeploymentSimulator.AzureState())
            .after()
            .appSettings
            .keySet();

    List<String> missing =
        Arrays.stream(Setting.values())
            .filter(s -> !s.optional())
            .map(Setting::name)
            .filter(name -> !inBicep.contains(name))
            .toList();

    assertThat(missing).as("required settings the Bicep does not set").isEmpty();
  }

  @Test
  void everyGateSettingTheBicepSetsIsOneTheCodeReads() {
    Set<String> known =
        Arrays.stream(Setting.values()).map(Setting::name).collect(Collectors.toSet());

    List<String> unknown =
        bicepGateSettingNames().stream().filter(name -> !known.contains(name)).toList();

    assertThat(unknown).as("settings in the Bicep that no code reads").isEmpty();
  }

  @Test
  void productionUsesNoKeysAndNoDevModeEvenWhenSomeoneSetItByHand() {
    DeploymentSimulator simulator = new DeploymentSimulator(model);
    DeploymentSimulator.AzureState tampered = new DeploymentSimulator.AzureState();
    tampered.appSettings.put(Setting.DVO_DEV_MODE.name(), "true");
    tampered.appSettings.put(Setting.DVO_COSMOS_CREATE_CONTAINERS.name(), "true");

    Map<String, String> settings =
        simulator.deploy(RedeploySafetyTest.requiredParams(), tampered).after().appSettings;

    assertThat(bicepGateSettingNames()).doesNotContain(Setting.DVO_COSMOS_KEY.name());
    assertThat(settings.get(Setting.DVO_DEV_MODE.name())).isEqualTo("false");
    assertThat(settings.get(Setting.DVO_COSMOS_CREATE_CONTAINERS.name()))
        .as("the Bicep owns the containers")
        .isEqualTo("false");
  }

  @Test
  void aFirstDeploymentSignsPeopleInItselfAndTrustsNoPlatformHeader() {
    DeploymentSimulator simulator = new DeploymentSimulator(model);
    Map<String, String> first =
        simulator
            .deploy(RedeploySafetyTest.requiredParams(), new DeploymentSimulator.AzureState())
            .after()
            .appSettings;
    // The Flex Consumption plan documents App Service Authentication as not enforced there: a
    // gate trusting X-MS-CLIENT-PRINCIPAL by default could be handed any identity.
    assertThat(first)
        .containsEntry(Setting.DVO_TRUST_PRINCIPAL_HEADER.name(), "false")
        .containsEntry(Setting.DVO_LOGIN_PATH.name(), "/auth/login")
        .containsEntry(Setting.DVO_OIDC_CLIENT_ID.name(), "11111111-2222-3333-4444-555555555555")
        .containsEntry(Setting.DVO_OIDC_ROLES_CLAIM.name(), "roles");
    assertThat(first.get(Setting.DVO_OIDC_ISSUER.name())).endsWith("/v2.0");
    assertThat(first.get(Setting.DVO_OIDC_CLIENT_SECRET.name()))
        .startsWith("@Microsoft.KeyVault(")
        .contains("SecretName=oidc-client-secret");
    assertThat(first.get(Setting.DVO_SESSION_SECRET.name())).contains("SecretName=session-secret");
    // App Service Authentication is switched on only for the platform way in.
    assertThat(model.toString()).contains("\"enabled\":{\"id\":\"platformSignIn\"}");
  }

  @Test
  void thePlatformWayInIsChosenExplicitlyAndKeptByARedeployThatDoesNotSayOtherwise() {
    DeploymentSimulator simulator = new DeploymentSimulator(model);
    Map<String, Object> platform = RedeploySafetyTest.requiredParams();
    platform.put("peopleSignIn", "appServiceAuthentication");
    DeploymentSimulator.AzureState chosen =
        simulator.deploy(platform, new DeploymentSimulator.AzureState()).after();
    assertThat(chosen.appSettings)
        .containsEntry(Setting.DVO_TRUST_PRINCIPAL_HEADER.name(), "true")
        .containsEntry(Setting.DVO_LOGIN_PATH.name(), "/.auth/login/aad")
        .doesNotContainKey(Setting.DVO_OIDC_ISSUER.name());

    Map<String, String> kept =
        simulator.deploy(RedeploySafetyTest.requiredParams(), chosen).after().appSettings;
    assertThat(kept).containsEntry(Setting.DVO_TRUST_PRINCIPAL_HEADER.name(), "true");

    Map<String, Object> switchBack = RedeploySafetyTest.requiredParams();
    switchBack.put("peopleSignIn", "openIdConnect");
    Map<String, String> switched = simulator.deploy(switchBack, chosen).after().appSettings;
    assertThat(switched)
        .containsEntry(Setting.DVO_TRUST_PRINCIPAL_HEADER.name(), "false")
        .containsKey(Setting.DVO_OIDC_ISSUER.name());
  }

  @Test
  void secretsComeFromKeyVaultReferencesAndNeverAppearInSettings() {
    Map<String, Object> params = RedeploySafetyTest.everyParam(model);
    Map<String, String> settings = deployedSettings();
    for (Setting secret :
        List.of(
            Setting.DVO_CSRF_SECRET,
            Setting.DVO_TEAMS_WEBHOOK_URL,
            Setting.DVO_TEAMS_WEBHOOK_ROUTES,
            Setting.DVO_API_KEYS)) {
      assertThat(settings.get(secret.name())).as(secret.name()).startsWith("@Microsoft.KeyVault(");
    }
    for (String param : List.of("csrfSecret", "teamsWebhookUrl", "teamsWebhookRoutes", "apiKeys")) {
      assertThat(model.path("params").path(param).path("decorators").toString())
          .as(param + " is @secure()")
          .contains("\"secure\"");
      assertThat(settings.values()).as(param).doesNotContain(String.valueOf(params.get(param)));
    }
  }

  @Test
  void cosmosContainersAndPartitionKeysMatchTheCode() {
    List<Map<String, Object>> inBicep =
        StreamSupport.stream(main.path("vars").path("cosmosContainers").spliterator(), false)
            .map(
                c ->
                    Map.<String, Object>of(
                        "name", c.path("name").asText(),
                        "partitionKey", c.path("partitionKey").asText(),
                        "defaultTtl", c.path("defaultTtl").asInt()))
            .toList();
    List<Map<String, Object>> inCode =
        Arrays.stream(CosmosContainer.values())
            .map(
                c ->
                    Map.<String, Object>of(
                        "name", c.containerName(),
                        "partitionKey", c.partitionKeyPath(),
                        "defaultTtl", c.defaultTtlSeconds()))
            .toList();

    assertThat(inBicep).containsExactlyInAnyOrderElementsOf(inCode);
  }

  @Test
  void cosmosDatabaseNameMatchesTheCodeDefault() {
    assertThat(main.path("vars").path("cosmosDatabaseName").asText())
        .isEqualTo(Setting.DVO_COSMOS_DATABASE.defaultValue());
  }

  @Test
  void functionsRuntimeJavaVersionMatchesThePom() throws IOException {
    String pom = Files.readString(BicepChecker.REPO.resolve("pom.xml"));
    Matcher release = Pattern.compile("<maven.compiler.release>(\\d+)<").matcher(pom);
    assertThat(release.find()).as("maven.compiler.release in pom.xml").isTrue();

    assertThat(main.path("params").path("javaVersion").path("default").asText())
        .isEqualTo(release.group(1));
  }

  @Test
  void deploymentOutputsTheLinksOperatorsNeed() {
    assertThat(main.path("outputs").fieldNames())
        .toIterable()
        .contains("functionBaseUrl", "reviewUrlPattern", "cosmosEndpoint");
  }

  /** One row of the settings table in infra-bicep/README.md. */
  private record DocumentedSetting(String setting, String how, String parameter) {}

  private static final Pattern SETTING_ROW =
      Pattern.compile("^\\|\\s*`([A-Z_]+)`\\s*\\|\\s*([^|]*?)\\s*\\|");

  private static List<DocumentedSetting> documentedSettings() throws IOException {
    List<DocumentedSetting> rows = new java.util.ArrayList<>();
    for (String line : Files.readAllLines(BicepChecker.INFRA.resolve("README.md"))) {
      Matcher row = SETTING_ROW.matcher(line);
      if (!row.find()) {
        continue;
      }
      String how = row.group(2);
      Matcher named = Pattern.compile("^(parameter|secret) `([A-Za-z]+)`$").matcher(how);
      if (named.matches()) {
        rows.add(new DocumentedSetting(row.group(1), named.group(1), named.group(2)));
      } else {
        assertThat(how)
            .as(row.group(1) + ": 'template', 'not set', 'parameter `x`' or 'secret `x`'")
            .isIn("template", "not set");
        rows.add(new DocumentedSetting(row.group(1), how, null));
      }
    }
    return rows;
  }

  @Test
  void theReadmeSaysForEverySettingHowAzureSetsItAndTheTemplateDoesWhatItSays() throws IOException {
    List<DocumentedSetting> rows = documentedSettings();
    assertThat(rows.stream().map(DocumentedSetting::setting))
        .as("infra-bicep/README.md settings table")
        .containsExactlyInAnyOrderElementsOf(
            Arrays.stream(Setting.values()).map(Setting::name).toList());

    DeploymentSimulator simulator = new DeploymentSimulator(model);
    Map<String, String> minimal =
        simulator
            .deploy(RedeploySafetyTest.requiredParams(), new DeploymentSimulator.AzureState())
            .after()
            .appSettings;
    DeploymentSimulator.Result everything =
        simulator.deploy(
            RedeploySafetyTest.everyParam(model), new DeploymentSimulator.AzureState());
    for (DocumentedSetting row : rows) {
      switch (row.how()) {
        case "template" ->
            assertThat(minimal)
                .as(row.setting() + " is written by the template")
                .containsKey(row.setting());
        case "not set" ->
            assertThat(everything.after().appSettings)
                .as(row.setting() + " is never set in Azure")
                .doesNotContainKey(row.setting());
        default -> {
          assertThat(model.path("params").has(row.parameter()))
              .as("main.bicep parameter " + row.parameter())
              .isTrue();
          Map<String, Object> params = RedeploySafetyTest.requiredParams();
          params.put(row.parameter(), "value-for-" + row.setting());
          DeploymentSimulator.AzureState after =
              simulator.deploy(params, new DeploymentSimulator.AzureState()).after();
          String written = after.appSettings.get(row.setting());
          if (row.how().equals("secret")) {
            assertThat(written).as(row.setting()).startsWith("@Microsoft.KeyVault(");
            written = after.secrets.get(RedeploySafetyTest.referencedSecret(written));
          }
          assertThat(written)
              .as(row.setting() + " follows parameter " + row.parameter())
              .isEqualTo("value-for-" + row.setting());
        }
      }
    }
  }

  @Test
  void rolesJsonDefinesExactlyTheRolesTheCodeAndThePolicyPackUse() throws Exception {
    JsonNode roles =
        io.dvo.gate.json.Json.mapper().readTree(BicepChecker.INFRA.resolve("roles.json").toFile());
    Set<String> values = new LinkedHashSet<>();
    Set<String> ids = new LinkedHashSet<>();
    for (JsonNode role : roles) {
      assertThat(values.add(role.path("value").asText())).as("unique value").isTrue();
      assertThat(ids.add(java.util.UUID.fromString(role.path("id").asText()).toString()))
          .as("unique id")
          .isTrue();
      assertThat(role.path("isEnabled").asBoolean()).isTrue();
      assertThat(role.path("displayName").asText()).isNotBlank();
      assertThat(role.path("description").asText()).isNotBlank();
      assertThat(role.path("allowedMemberTypes"))
          .isNotEmpty()
          .allMatch(t -> t.asText().equals("User") || t.asText().equals("Application"));
    }
    Set<String> inCode = new LinkedHashSet<>();
    for (java.lang.reflect.Field field : io.dvo.gate.api.Roles.class.getFields()) {
      inCode.add((String) field.get(null));
    }
    assertThat(values).as("roles.json values").containsExactlyInAnyOrderElementsOf(inCode);

    Set<String> inPack = new LinkedHashSet<>();
    Matcher required = Pattern.compile("required_roles:\\s*\\[([^\\]]*)\\]").matcher(packText());
    while (required.find()) {
      Arrays.stream(required.group(1).split(",")).map(String::trim).forEach(inPack::add);
    }
    assertThat(inPack).isNotEmpty();
    assertThat(values).as("roles the default pack asks approvers for").containsAll(inPack);
  }

  private static String packText() throws IOException {
    StringBuilder text = new StringBuilder();
    try (java.util.stream.Stream<java.nio.file.Path> files =
        Files.list(BicepChecker.REPO.resolve("policies/default"))) {
      for (java.nio.file.Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
        text.append(Files.readString(file)).append('\n');
      }
    }
    return text.toString();
  }
}
