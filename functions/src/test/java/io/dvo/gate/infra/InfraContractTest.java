package io.dvo.gate.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.config.CosmosContainer;
import io.dvo.gate.config.Setting;
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
  private static JsonNode functionApp;

  @BeforeAll
  static void readTemplates() {
    main = BicepChecker.facts(BicepChecker.INFRA.resolve("main.bicep"));
    functionApp = BicepChecker.facts(BicepChecker.INFRA.resolve("modules/functionapp.bicep"));
  }

  private static Set<String> bicepGateSettingNames() {
    Set<String> names = new LinkedHashSet<>();
    functionApp.path("vars").path("gateSettings").fieldNames().forEachRemaining(names::add);
    functionApp.path("vars").path("teamsSettings").fieldNames().forEachRemaining(names::add);
    functionApp.path("vars").path("apiKeySettings").fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void everyRequiredSettingIsSetByTheBicep() {
    Set<String> inBicep = bicepGateSettingNames();

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
  void productionUsesNoKeysAndNoDevMode() {
    Set<String> inBicep = bicepGateSettingNames();
    JsonNode settings = functionApp.path("vars").path("gateSettings");

    assertThat(inBicep).doesNotContain(Setting.DVO_COSMOS_KEY.name());
    assertThat(settings.path(Setting.DVO_DEV_MODE.name()).asText()).isEqualTo("false");
    assertThat(settings.path(Setting.DVO_COSMOS_CREATE_CONTAINERS.name()).asText())
        .as("the Bicep owns the containers")
        .isEqualTo("false");
  }

  @Test
  void secretsComeFromKeyVaultReferences() {
    JsonNode vars = functionApp.path("vars");
    for (JsonNode secret :
        List.of(
            vars.path("gateSettings").path(Setting.DVO_CSRF_SECRET.name()),
            vars.path("teamsSettings").path(Setting.DVO_TEAMS_WEBHOOK_URL.name()),
            vars.path("apiKeySettings").path("DVO_API_KEYS"))) {
      assertThat(secret.path("$expr").asText()).startsWith("'@Microsoft.KeyVault(SecretUri=");
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
}
