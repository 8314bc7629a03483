package io.dvo.gate.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WebhookRoutesTest {
  private static final String ROUTES =
      "{\"acme/prod\":\"https://hooks.example/acme-prod?sig=A\","
          + "\"acme\":\"https://hooks.example/acme?sig=B\","
          + "\"*/prod\":\"https://hooks.example/any-prod?sig=C\"}";

  @Test
  void mostSpecificRouteWinsThenTheDefault() {
    WebhookRoutes routes = WebhookRoutes.parse("https://hooks.example/default?sig=D", ROUTES);

    assertThat(routes.routeFor("acme", "prod").orElseThrow().channel())
        .isEqualTo("teams:acme/prod");
    assertThat(routes.routeFor("acme", "dev").orElseThrow().channel()).isEqualTo("teams:acme");
    assertThat(routes.routeFor("globex", "prod").orElseThrow().channel()).isEqualTo("teams:*/prod");
    assertThat(routes.routeFor("globex", "dev").orElseThrow().channel()).isEqualTo("teams:default");
    assertThat(routes.routeFor("globex", "dev").orElseThrow().url().toString()).endsWith("sig=D");
  }

  @Test
  void withoutADefaultUnroutedApprovalsAreNotAnnounced() {
    WebhookRoutes routes = WebhookRoutes.parse(null, ROUTES);
    assertThat(routes.routeFor("globex", "dev")).isEmpty();
    assertThat(WebhookRoutes.parse(" ", null).isEmpty()).isTrue();
  }

  @Test
  void badSettingsAreExplainedWithoutQuotingTheUrl() {
    assertThatThrownBy(() -> WebhookRoutes.parse("ftp://hooks.example/x?sig=SECRET1", null))
        .isInstanceOf(NotifyConfigException.class)
        .hasMessageContaining("DVO_TEAMS_WEBHOOK_URL")
        .hasMessageNotContaining("SECRET1");
    assertThatThrownBy(
            () -> WebhookRoutes.parse(null, "{\"acme\": \"https://h.example/?sig=SECRET2\""))
        .isInstanceOf(NotifyConfigException.class)
        .hasMessageContaining("not valid JSON")
        .hasMessageNotContaining("SECRET2");
    assertThatThrownBy(
            () -> WebhookRoutes.parse(null, "{\"a/b/c\": \"https://h.example/?sig=SECRET3\"}"))
        .hasMessageContaining("a/b/c")
        .hasMessageNotContaining("SECRET3");
    assertThatThrownBy(() -> WebhookRoutes.parse(null, "[\"https://h.example/?sig=SECRET4\"]"))
        .hasMessageContaining("JSON object")
        .hasMessageNotContaining("SECRET4");
  }

  @Test
  void routeToStringHidesTheUrl() {
    WebhookRoute route =
        WebhookRoutes.parse("https://hooks.example/x?sig=SECRET5", null)
            .routeFor("t", "e")
            .orElseThrow();
    assertThat(route.toString()).contains("teams:default").doesNotContain("SECRET5");
  }
}
