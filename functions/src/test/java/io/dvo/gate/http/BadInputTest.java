package io.dvo.gate.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.store.ApprovalStore;
import io.dvo.gate.store.PolicyStore;
import io.dvo.gate.store.QuotaStore;
import io.dvo.gate.store.StoreUnavailableException;
import io.dvo.gate.store.Stores;
import io.dvo.gate.testsupport.GateFixture;
import io.dvo.gate.testsupport.Identity;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Garbage in never gives a 500 or a stack trace; a store outage gives 503, never an allow. */
class BadInputTest {
  private static final List<String> CONTENT_TYPES =
      List.of("application/json", "application/x-www-form-urlencoded", "text/plain", "");
  private static final List<String> BODIES =
      List.of(
          "",
          "{",
          "}",
          "null",
          "[]",
          "\"text\"",
          "123",
          "{\"tenant_id\":null}",
          "{\"tenant_id\":\"demo\",\"idempotency_key\":\"k\",\"agent_id\":\"a\",\"environment\":\"dev\",\"estimate\":1e400}",
          "{\"tenant_id\":\"demo\",\"idempotency_key\":\"k\",\"agent_id\":\"a\",\"environment\":\"dev\",\"estimate\":-5}",
          "{\"tenant_id\":\"demo\",\"idempotency_key\":\"k\",\"agent_id\":\"a\",\"environment\":\"dev\",\"plan\":{\"steps\":[{\"risk_tier\":\"nuclear\"}]}}",
          "{\"tenant_id\":\"../../etc\",\"idempotency_key\":\"\\u0000\",\"agent_id\":\"a\",\"environment\":\"dev\"}",
          "{\"monthly_budget\":\"many\"}",
          "{\"monthly_budget\":9223372036854775808}",
          "{\"enabled\":\"maybe\"}",
          "{\"id\":\"x\",\"conditions\":[{\"field\":\"\",\"operator\":\"matches\",\"value\":\"(\"}],\"action\":\"deny\"}",
          "{\"comment\":" + "[".repeat(3000) + "]".repeat(3000) + "}",
          "{\"a\":\"\ud800\"}",
          "action=approve&csrf=%zz",
          "\u00ff\u00fe garbage");

  private static String path(String template, Random random) {
    String[] garbage = {"demo", "other", "x", "%00", "%2F..%2F", "a%20b", "nope", "%ZZ", "\u00e9"};
    return template
        .replace("{tenant}", garbage[random.nextInt(garbage.length)])
        .replace("{id}", garbage[random.nextInt(garbage.length)]);
  }

  @Test
  void noInputProducesA500() {
    try (GateFixture fixture = GateFixture.create()) {
      HttpApi api = fixture.app.httpApi();
      Random random = new Random(20261118L);
      List<String> failures = new ArrayList<>();
      int sent = 0;
      for (Route route : api.router().routes()) {
        for (String body : BODIES) {
          for (String contentType : CONTENT_TYPES) {
            for (Identity who : List.of(Identity.ADMIN, Identity.REQUESTER, Identity.NONE)) {
              Map<String, String> headers = new LinkedHashMap<>(who.headers());
              if (!contentType.isEmpty()) {
                headers.put("Content-Type", contentType);
              }
              headers.put("X-Tenant-Id", random.nextBoolean() ? "demo" : "");
              headers.put("If-Match", random.nextBoolean() ? "\"x\"" : "");
              String path = path(route.template(), random);
              String query =
                  random.nextBoolean()
                      ? "wait_seconds=-1&limit=x&period=2026-13&status=&continuation=%%"
                      : "";
              String method = random.nextInt(10) == 0 ? "PATCH" : route.method();
              HttpResponse response;
              try {
                response =
                    api.handle(
                        new HttpRequest(
                            method,
                            path,
                            QueryStringSafe.parse(query),
                            Headers.of(headers),
                            body.getBytes(StandardCharsets.UTF_8),
                            ""));
              } catch (RuntimeException e) {
                failures.add(method + " " + path + " threw " + e);
                continue;
              }
              sent++;
              if (response.status() >= 500) {
                failures.add(
                    method
                        + " "
                        + path
                        + " ["
                        + contentType
                        + "] "
                        + abbreviate(body)
                        + " -> "
                        + response.status()
                        + " "
                        + response.bodyText());
              }
              assertThat(response.bodyText()).doesNotContain("\tat ").doesNotContain("Exception");
            }
          }
        }
      }
      assertThat(sent).isGreaterThan(1000);
      assertThat(failures).isEmpty();
    }
  }

  @Test
  void storeOutageIsA503AndNeverAnAllow() {
    StoreUnavailableException down = new StoreUnavailableException("read", "unreachable", null);
    Stores failing =
        new Stores(
            failing(ApprovalStore.class, down),
            failing(QuotaStore.class, down),
            failing(PolicyStore.class, down));
    try (GateFixture fixture = GateFixture.over(failing)) {
      HttpApi api = fixture.app.httpApi();
      Map<String, String> headers = new LinkedHashMap<>(Identity.REQUESTER.headers());
      headers.put("Content-Type", "application/json");
      HttpResponse response =
          api.handle(
              new HttpRequest(
                  "POST",
                  "/api/v1/gate",
                  Map.of(),
                  Headers.of(headers),
                  "{\"tenant_id\":\"demo\",\"idempotency_key\":\"k\",\"agent_id\":\"a\",\"environment\":\"dev\",\"estimate\":1}"
                      .getBytes(StandardCharsets.UTF_8),
                  ""));
      assertThat(response.status()).isEqualTo(503);
      assertThat(response.header("Retry-After")).isNotBlank();
      assertThat(response.bodyText()).doesNotContain("\"allow\"");
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> T failing(Class<T> type, RuntimeException error) {
    return (T)
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (proxy, method, args) -> {
              if (method.getName().equals("close")) {
                return null;
              }
              throw error;
            });
  }

  private static String abbreviate(String body) {
    return body.length() > 60 ? body.substring(0, 60) + "..." : body;
  }

  /** Query parsing as a host would do it, without failing the test on bad encodings. */
  static final class QueryStringSafe {
    static Map<String, String> parse(String path) {
      Map<String, String> map = new LinkedHashMap<>();
      if (path.isEmpty()) {
        return map;
      }
      for (String pair : path.split("&")) {
        int eq = pair.indexOf('=');
        map.put(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : pair.substring(eq + 1));
      }
      return map;
    }
  }
}
