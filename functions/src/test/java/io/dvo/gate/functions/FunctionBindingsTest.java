package io.dvo.gate.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpResponseMessage;
import io.dvo.gate.http.Route;
import io.dvo.gate.testsupport.GateFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 19: what the Functions host will see, derived from the annotations as the packaging writes
 * it (see {@link FunctionsHost}; `mvn -Pazure package` cannot run here), and checked the way the
 * host routes. The derived function.json files are written to target/expected-function-json for a
 * comparison with a real staging folder (docs/operations.md).
 */
class FunctionBindingsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final FunctionsHost host = FunctionsHost.load();

  private FunctionsHost.Function named(String name) {
    return host.functions().stream()
        .filter(f -> f.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no function " + name));
  }

  @Test
  void theFunctionJsonOfEachFunctionHasThePackagingsShapeAndIsWrittenForComparison()
      throws Exception {
    assertThat(host.functions())
        .extracting(FunctionsHost.Function::name)
        .containsExactly(
            "approvalRead",
            "approvals",
            "docs",
            "evaluate",
            "expireApprovals",
            "gate",
            "other",
            "pages");
    Path out = Path.of("target/expected-function-json");
    for (FunctionsHost.Function function : host.functions()) {
      Path file = out.resolve(function.name()).resolve("function.json");
      Files.createDirectories(file.getParent());
      JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), function.functionJson());
    }

    String jar = FunctionsHost.artifactFileName();
    assertThat(jar).matches("dvo-gate-functions-.+\\.jar");
    assertThat(named("gate").functionJson())
        .isEqualTo(
            JSON.readTree(
                """
                {"scriptFile":"../%s",
                 "entryPoint":"io.dvo.gate.functions.ApiFunctions.gate",
                 "bindings":[
                   {"type":"httpTrigger","direction":"in","name":"request",
                    "methods":["GET","POST","PUT","DELETE","PATCH"],
                    "authLevel":"ANONYMOUS","route":"api/v1/gate"},
                   {"type":"http","direction":"out","name":"$return"}]}
                """
                    .formatted(jar)));
    assertThat(named("expireApprovals").functionJson())
        .isEqualTo(
            JSON.readTree(
                """
                {"scriptFile":"../%s",
                 "entryPoint":"io.dvo.gate.functions.ExpiryTimer.run",
                 "bindings":[
                   {"type":"timerTrigger","direction":"in","name":"timer",
                    "schedule":"0 */5 * * * *"}]}
                """
                    .formatted(jar)));
  }

  @Test
  void functionNamesAreUniqueIgnoringCaseAndValid() {
    Set<String> seen = new HashSet<>();
    for (FunctionsHost.Function function : host.functions()) {
      assertThat(function.name()).matches("[A-Za-z][A-Za-z0-9_-]{0,127}");
      assertThat(seen.add(function.name().toLowerCase(Locale.ROOT)))
          .as("duplicate function " + function.name())
          .isTrue();
    }
  }

  @Test
  void everyFunctionHasOneTriggerAndEveryHttpFunctionAnswers() {
    for (FunctionsHost.Function function : host.functions()) {
      List<String> triggers = new ArrayList<>();
      function
          .functionJson()
          .get("bindings")
          .forEach(
              b -> {
                if (b.get("type").asText().endsWith("Trigger")) {
                  triggers.add(b.get("type").asText());
                }
              });
      assertThat(triggers).as(function.name()).hasSize(1);
      if (function.isHttp()) {
        JsonNode bindings = function.functionJson().get("bindings");
        assertThat(bindings.get(bindings.size() - 1).toString())
            .as(function.name() + " returns the HTTP answer")
            .isEqualTo("{\"type\":\"http\",\"direction\":\"out\",\"name\":\"$return\"}");
      }
    }
  }

  @Test
  void httpFunctionsAreAnonymousAndTakeEveryMethodSoTheGateAnswers405() {
    for (FunctionsHost.Function function : host.functions()) {
      if (!function.isHttp()) {
        continue;
      }
      // Identity comes from App Service Authentication or a gate API key; a function key
      // identifies nobody (ApiFunctions).
      assertThat(function.trigger().get("authLevel").asText()).isEqualTo("ANONYMOUS");
      if (!function.name().equals("docs") && !function.name().equals("pages")) {
        assertThat(function.methods()).contains("GET", "POST", "PUT", "DELETE", "PATCH");
      }
    }
  }

  @Test
  void noTwoFunctionsClaimTheSameRouteAndMethodAndNoneUsesAReservedRoute() {
    assertThat(host.conflicts()).isEmpty();
    for (FunctionsHost.Function function : host.functions()) {
      if (function.isHttp()) {
        assertThat(function.route().replaceAll("^/+", "").toLowerCase(Locale.ROOT))
            .doesNotStartWith("admin")
            .doesNotStartWith("runtime");
      }
    }
  }

  /** A path that matches {@code template}: every {variable} filled in. */
  private static String samplePath(String template) {
    return Pattern.compile("\\{[^}]+}").matcher(template).replaceAll("sample");
  }

  @Test
  void everyRouteTheLocalServerServesReachesTheMostSpecificFunctionAndTheGate() {
    try (GateFixture fixture = GateFixture.create()) {
      ApiFunctions functions = new ApiFunctions(() -> fixture.app.httpApi());
      List<Route> routes = fixture.app.httpApi().router().routes();
      assertThat(routes).hasSizeGreaterThan(10);
      for (Route route : routes) {
        String path = samplePath(route.template());
        String call = route.method() + " " + path;
        FunctionsHost.Function chosen =
            host.route(route.method(), path)
                .orElseThrow(() -> new AssertionError("no function takes " + call));
        assertThat(chosen.name())
            .as(call + ": the host tries routes by function name, so a catch-all must sort last")
            .isEqualTo(host.candidates(route.method(), path).get(0).name());

        FakeHttpRequest request = new FakeHttpRequest(HttpMethod.value(route.method()), path, null);
        HttpResponseMessage answer =
            (HttpResponseMessage)
                FunctionsHost.invoke(chosen, functions, request, new FakeContext());
        FakeResponse response = (FakeResponse) answer;
        assertThat(response.getStatusCode()).as(call).isNotEqualTo(405);
        assertThat(response.text()).as(call).doesNotContain("No endpoint at");
      }
    }
  }

  @Test
  void theLongPollAndTheDecisionsHaveTheirOwnFunctions() {
    Map<String, String> expected =
        Map.of(
            "GET /api/v1/approvals/acme/a1", "approvalRead",
            "POST /api/v1/approvals/acme/a1/approve", "approvals",
            "GET /api/v1/approvals/acme", "approvals",
            "POST /api/v1/gate", "gate",
            "POST /api/v1/evaluate", "evaluate",
            "GET /api/v1/health", "other",
            "GET /docs", "docs",
            "GET /", "pages",
            "POST /auth/dev-login", "pages");
    expected.forEach(
        (call, function) -> {
          String[] parts = call.split(" ");
          assertThat(host.route(parts[0], parts[1]))
              .as(call)
              .map(FunctionsHost.Function::name)
              .contains(function);
        });
    // The pages' root catch-all sorts after every API function, so it only gets what they
    // leave: the overview and sign-in (the gate's router answers 404 for unknown ones).
    assertThat(host.route("GET", "/elsewhere")).map(FunctionsHost.Function::name).contains("pages");
  }

  @Test
  void theExpiryTimerRunsEveryFiveMinutesOnAValidNcrontabSchedule() {
    String schedule = named("expireApprovals").trigger().get("schedule").asText();
    String[] fields = schedule.split(" ");
    // NCRONTAB: second minute hour day month day-of-week.
    assertThat(fields).hasSize(6);
    Pattern field = Pattern.compile("\\*(/\\d+)?|\\d+(-\\d+)?(/\\d+)?(,\\d+(-\\d+)?)*");
    for (String part : fields) {
      assertThat(part).matches(field);
    }
    assertThat(fields[0]).isEqualTo("0");
    assertThat(fields[1]).isEqualTo("*/5");
  }

  @Test
  void hostJsonUsesTheExtensionBundleAndAnEmptyRoutePrefix() throws Exception {
    JsonNode hostJson = JSON.readTree(Path.of("host.json").toFile());
    assertThat(hostJson.path("version").asText()).isEqualTo("2.0");
    assertThat(hostJson.path("extensionBundle").path("id").asText())
        .isEqualTo("Microsoft.Azure.Functions.ExtensionBundle");
    assertThat(hostJson.path("extensions").path("http").path("routePrefix").isTextual()).isTrue();
    assertThat(host.routePrefix()).isEmpty();
  }
}
