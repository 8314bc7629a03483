package io.dvo.gate.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CrossSiteGuardTest {
  private final CrossSiteGuard guard = CrossSiteGuard.forPublicUrl("https://Gate.Example.net/x/");

  private static HttpRequest post(String... headerPairs) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 0; i < headerPairs.length; i += 2) {
      headers.put(headerPairs[i], headerPairs[i + 1]);
    }
    return new HttpRequest(
        "POST", "/api/v1/gate", Map.of(), Headers.of(headers), "{}".getBytes(), "");
  }

  private void refused(HttpRequest request, String code) {
    assertThatThrownBy(() -> guard.check(request))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(403);
              assertThat(e.code().wireName()).isEqualTo(code);
            });
  }

  private void allowed(HttpRequest request) {
    assertThatCode(() -> guard.check(request)).doesNotThrowAnyException();
  }

  @Test
  void clientsThatAreNotBrowsersSendNeitherHeaderAndPass() {
    allowed(post());
    allowed(post("Sec-Fetch-Site", "none"));
  }

  @Test
  void theGatesOwnOriginPassesInAnySpellingOfItsDefaultPort() {
    for (String origin :
        List.of(
            "https://gate.example.net",
            "HTTPS://GATE.EXAMPLE.NET:443",
            "https://gate.example.net")) {
      allowed(post("Origin", origin, "Sec-Fetch-Site", "same-origin"));
    }
    // same-site passes only with the gate's own Origin (a sibling host is refused, below).
    allowed(post("Origin", "https://gate.example.net", "Sec-Fetch-Site", "same-site"));
  }

  @Test
  void theAddressTheBrowserUsedCountsAsTheGatesOrigin() {
    allowed(post("Origin", "http://127.0.0.1:7071", "Host", "127.0.0.1:7071"));
    allowed(post("Origin", "http://localhost", "Host", "localhost:80"));
    refused(post("Origin", "http://127.0.0.1:7072", "Host", "127.0.0.1:7071"), "foreign_origin");
  }

  @Test
  void otherSitesAndUnknownFetchMetadataAreRefused() {
    refused(post("Sec-Fetch-Site", "cross-site"), "cross_site_request");
    refused(
        post("Sec-Fetch-Site", "CROSS-SITE", "Origin", "https://gate.example.net"),
        "cross_site_request");
    refused(
        post("Sec-Fetch-Site", "same-site", "Origin", "https://wiki.example.net"),
        "cross_site_request");
    refused(post("Sec-Fetch-Site", "same-site"), "cross_site_request");
    refused(post("Sec-Fetch-Site", "some-future-value"), "cross_site_request");
    refused(post("Origin", "https://evil.example"), "foreign_origin");
    refused(post("Origin", "null"), "foreign_origin");
    refused(post("Origin", "https://gate.example.net.evil.example"), "foreign_origin");
    refused(post("Origin", "https://user@gate.example.net"), "foreign_origin");
    refused(post("Origin", "http://gate.example.net"), "foreign_origin");
  }

  @Test
  void theRefusalNamesTheOriginWithoutEchoingControlCharacters() {
    assertThatThrownBy(() -> guard.check(post("Origin", "https://evil.example\u0007")))
        .hasMessageContaining("https://evil.example?")
        .hasMessageNotContaining("\u0007");
  }

  @Test
  void aPublicUrlThatIsNotAnAbsoluteUrlIsAStartupError() {
    assertThatThrownBy(() -> CrossSiteGuard.forPublicUrl("gate.example.net"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("DVO_PUBLIC_BASE_URL");
    allowed(post());
    assertThatCode(() -> CrossSiteGuard.forPublicUrl(" ")).doesNotThrowAnyException();
  }

  @Test
  void readsAndTheReviewFormsAreNotStateChangesOfTheJsonApi() {
    HttpApi api =
        new HttpApi(
            List.of(
                Route.get("/api/v1/thing", "read", call -> HttpResponse.ok(Map.of("ok", true))),
                Route.postForm("/api/v1/form", "form", call -> HttpResponse.ok(call.form()))),
            headers -> null,
            HttpLimits.DEFAULT,
            guard);
    Headers crossSite = Headers.of(Map.of("Sec-Fetch-Site", "cross-site", "Origin", "https://x.y"));
    assertThat(
            api.handle(new HttpRequest("GET", "/api/v1/thing", Map.of(), crossSite, null, ""))
                .status())
        .isEqualTo(200);
    Headers form =
        Headers.of(
            Map.of(
                "Sec-Fetch-Site",
                "cross-site",
                "Content-Type",
                "application/x-www-form-urlencoded"));
    assertThat(
            api.handle(
                    new HttpRequest("POST", "/api/v1/form", Map.of(), form, "a=1".getBytes(), ""))
                .status())
        .as("the review page decides about its own forms (CSRF token)")
        .isEqualTo(200);
  }
}
