package io.dvo.gate.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** What the Functions host will read from the annotations and host.json (no host runs here). */
class FunctionBindingsTest {
  private static HttpTrigger trigger(Method method) {
    for (Parameter parameter : method.getParameters()) {
      HttpTrigger trigger = parameter.getAnnotation(HttpTrigger.class);
      if (trigger != null) {
        return trigger;
      }
    }
    return null;
  }

  @Test
  void httpFunctionsCoverTheApiAndTheDocsAnonymouslyForEveryMethod() {
    Map<String, String> routes = new TreeMap<>();
    for (Method method : ApiFunctions.class.getMethods()) {
      FunctionName name = method.getAnnotation(FunctionName.class);
      if (name == null) {
        continue;
      }
      HttpTrigger trigger = trigger(method);
      assertThat(trigger).as(name.value()).isNotNull();
      assertThat(trigger.authLevel()).isEqualTo(AuthorizationLevel.ANONYMOUS);
      if (!name.value().equals("docs") && !name.value().equals("overview")) {
        assertThat(Arrays.asList(trigger.methods()))
            .contains(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE);
      }
      routes.put(name.value(), trigger.route());
    }
    assertThat(routes)
        .containsEntry("gate", "api/v1/gate")
        .containsEntry("evaluate", "api/v1/evaluate")
        .containsEntry("approvals", "api/v1/approvals/{*rest}")
        .containsEntry("api", "api/v1/{*rest}")
        .containsEntry("docs", "docs")
        .containsEntry("overview", "{*rest}");
  }

  @Test
  void expiryTimerRunsEveryFiveMinutes() throws Exception {
    Method run =
        ExpiryTimer.class.getMethod(
            "run", String.class, com.microsoft.azure.functions.ExecutionContext.class);
    TimerTrigger timer = run.getParameters()[0].getAnnotation(TimerTrigger.class);
    assertThat(timer.schedule()).isEqualTo("0 */5 * * * *");
    assertThat(run.getAnnotation(FunctionName.class).value()).isEqualTo("expireApprovals");
  }

  @Test
  void hostJsonUsesTheExtensionBundleAndAnEmptyRoutePrefix() throws Exception {
    JsonNode host = new ObjectMapper().readTree(Path.of("host.json").toFile());
    assertThat(host.path("version").asText()).isEqualTo("2.0");
    assertThat(host.path("extensionBundle").path("id").asText())
        .isEqualTo("Microsoft.Azure.Functions.ExtensionBundle");
    assertThat(host.path("extensions").path("http").path("routePrefix").isTextual()).isTrue();
    assertThat(host.path("extensions").path("http").path("routePrefix").asText()).isEmpty();
  }
}
