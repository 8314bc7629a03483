package io.dvo.gate.signin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.config.GateApp;
import io.dvo.gate.config.Settings;
import io.dvo.gate.http.auth.ApiKeys;
import io.dvo.gate.json.Json;
import io.dvo.gate.server.LocalServer;
import io.dvo.gate.server.ServerOptions;
import io.dvo.gate.settings.Setting;
import io.dvo.gate.store.sqlite.SqliteStores;
import io.dvo.gate.testsupport.GateFixture;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The OpenID Connect flow at the HTTP level against a real provider (npm oidc-provider): a client
 * that keeps the provider's cookies like a browser, fills in the provider's login and consent
 * forms, and hands the gate's cookies back by hand (they are Secure, which Java's cookie store
 * keeps off plain http). What a browser cannot easily show is checked here: replayed answers,
 * foreign states, open redirects, forged sessions, the logout token.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OidcSignInFlowTest {
  static final String PIPELINE_KEY = "dvo_pipeline-key-for-the-sign-in-tests-0123456789";
  private static final Pattern FORM_ACTION = Pattern.compile("<form[^>]*action=\"([^\"]+)\"");
  private static final Pattern PROMPT = Pattern.compile("name=\"prompt\" value=\"([a-z]+)\"");
  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

  private Path dir;
  private OidcTestProvider provider;
  private LocalServer server;
  private String base;

  @BeforeAll
  void start() throws Exception {
    dir = Files.createTempDirectory("dvo-oidc-flow");
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    base = "http://127.0.0.1:" + port;
    provider =
        OidcTestProvider.start(
            base,
            Map.of(
                "anna",
                new OidcTestProvider.User(
                    "anna@acme.example",
                    "Anna Approver",
                    List.of("Gate.Release"),
                    List.of("acme"))));
    Settings settings =
        GateFixture.settings(dir)
            .with(
                Map.ofEntries(
                    Map.entry(Setting.DVO_DEV_MODE, "false"),
                    Map.entry(Setting.DVO_TRUST_PRINCIPAL_HEADER, "false"),
                    Map.entry(
                        Setting.DVO_CSRF_SECRET, "csrf-secret-for-the-sign-in-tests-0123456789"),
                    Map.entry(Setting.DVO_PUBLIC_BASE_URL, base),
                    Map.entry(Setting.DVO_NO_QUOTA, "allow"),
                    Map.entry(Setting.DVO_OIDC_ISSUER, provider.issuer()),
                    Map.entry(Setting.DVO_OIDC_CLIENT_ID, OidcTestProvider.CLIENT_ID),
                    Map.entry(Setting.DVO_OIDC_CLIENT_SECRET, OidcTestProvider.CLIENT_SECRET),
                    Map.entry(Setting.DVO_OIDC_SCOPES, "openid email profile gate"),
                    Map.entry(
                        Setting.DVO_SESSION_SECRET,
                        "session-secret-for-the-sign-in-tests-0123456789"),
                    Map.entry(Setting.DVO_ROLE_MAP, "{\"Gate.Release\":\"release_manager\"}"),
                    Map.entry(
                        Setting.DVO_API_KEYS,
                        "[{\"id\":\"pipeline\",\"sha256\":\""
                            + ApiKeys.sha256Hex(PIPELINE_KEY)
                            + "\",\"roles\":[\"gate_caller\"],\"tenants\":[\"acme\"]}]")));
    GateApp app =
        GateApp.create(settings, SqliteStores.open(dir.resolve("gate.db")), Clock.systemUTC());
    server = LocalServer.start(app, ServerOptions.defaults("127.0.0.1", port));
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
    if (provider != null) {
      provider.close();
    }
  }

  /** One browser: the provider's cookies in a jar, the gate's by hand. */
  private final class Browser {
    final HttpClient http =
        HttpClient.newBuilder()
            .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    final Map<String, String> gateCookies = new LinkedHashMap<>();

    HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
      HttpRequest built = request.build();
      boolean toGate = built.uri().toString().startsWith(base);
      if (toGate && !gateCookies.isEmpty()) {
        StringBuilder cookie = new StringBuilder();
        gateCookies.forEach(
            (n, v) ->
                cookie.append(cookie.length() == 0 ? "" : "; ").append(n).append('=').append(v));
        request.header("Cookie", cookie.toString());
        built = request.build();
      }
      HttpResponse<String> response = http.send(built, HttpResponse.BodyHandlers.ofString());
      if (toGate) {
        for (String setCookie : response.headers().allValues("Set-Cookie")) {
          String pair = setCookie.substring(0, setCookie.indexOf(';'));
          String name = pair.substring(0, pair.indexOf('='));
          String value = pair.substring(pair.indexOf('=') + 1);
          if (setCookie.contains("Max-Age=0")) {
            gateCookies.remove(name);
          } else {
            gateCookies.put(name, value);
          }
        }
      }
      return response;
    }

    HttpResponse<String> get(String uri) throws Exception {
      return send(HttpRequest.newBuilder(URI.create(uri)).header("Sec-Fetch-Mode", "navigate"));
    }

    HttpResponse<String> postForm(String uri, Map<String, String> fields) throws Exception {
      StringBuilder body = new StringBuilder();
      fields.forEach(
          (n, v) ->
              body.append(body.length() == 0 ? "" : "&")
                  .append(URLEncoder.encode(n, StandardCharsets.UTF_8))
                  .append('=')
                  .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
      return send(
          HttpRequest.newBuilder(URI.create(uri))
              .header("Content-Type", "application/x-www-form-urlencoded")
              .header("Sec-Fetch-Site", "same-origin")
              .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    /**
     * From the gate's sign-in start through the provider's login and consent pages, to the URL the
     * provider sends the browser back to (not yet opened).
     */
    String signInAtProvider(String returnTo, String login) throws Exception {
      HttpResponse<String> start =
          get(
              base
                  + "/auth/login?return_to="
                  + URLEncoder.encode(returnTo, StandardCharsets.UTF_8));
      assertThat(start.statusCode()).as(start.body()).isEqualTo(302);
      String location = start.headers().firstValue("Location").orElseThrow();
      assertThat(location)
          .startsWith(provider.issuer() + "/auth?")
          .contains("code_challenge_method=S256")
          .contains("code_challenge=")
          .contains("nonce=")
          .contains("state=")
          .doesNotContain(OidcTestProvider.CLIENT_SECRET);
      URI at = URI.create(location);
      HttpResponse<String> response = get(at.toString());
      for (int steps = 0; steps < 20; steps++) {
        if (response.statusCode() / 100 == 3) {
          at = at.resolve(response.headers().firstValue("Location").orElseThrow());
          if (at.toString().startsWith(base)) {
            return at.toString();
          }
          response = get(at.toString());
          continue;
        }
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Matcher action = FORM_ACTION.matcher(response.body());
        Matcher prompt = PROMPT.matcher(response.body());
        assertThat(action.find() && prompt.find()).as(response.body()).isTrue();
        at = at.resolve(action.group(1));
        response =
            prompt.group(1).equals("login")
                ? postForm(
                    at.toString(), Map.of("prompt", "login", "login", login, "password", "any"))
                : postForm(at.toString(), Map.of("prompt", "consent"));
      }
      throw new AssertionError("the provider never sent the browser back to the gate");
    }
  }

  private JsonNode whoami(Browser browser) throws Exception {
    HttpResponse<String> response = browser.get(base + "/api/v1/whoami");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Json.mapper().readTree(response.body());
  }

  @Test
  void signingInSetsASessionThatTheApiAcceptsWithMappedRolesAndTenants() throws Exception {
    Browser browser = new Browser();
    String callback = browser.signInAtProvider("/api/v1/whoami", "anna");
    assertThat(callback).startsWith(base + "/auth/callback?").contains("code=").contains("state=");
    HttpResponse<String> landed = browser.get(callback);
    assertThat(landed.statusCode()).as(landed.body()).isEqualTo(303);
    assertThat(landed.headers().firstValue("Location")).hasValue("/api/v1/whoami");
    String setCookie = landed.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(setCookie)
        .startsWith("__Host-dvo_session=")
        .contains("HttpOnly")
        .contains("Secure")
        .contains("SameSite=Lax")
        .contains("Max-Age=28800");
    JsonNode me = whoami(browser);
    assertThat(me.get("principal_id").asText()).isEqualTo("anna");
    assertThat(me.get("email").asText()).isEqualTo("anna@acme.example");
    assertThat(me.get("roles").toString()).isEqualTo("[\"release_manager\"]");
    assertThat(me.get("tenants").toString()).isEqualTo("[\"acme\"]");
    assertThat(me.get("auth_kind").asText()).isEqualTo("oidc");
  }

  /** A pipeline (API key) asks to deploy to production: pending_approval; its id. */
  private String openApproval(String key) throws Exception {
    HttpResponse<String> gate =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(base + "/api/v1/gate"))
                    .header("X-DVO-API-Key", PIPELINE_KEY)
                    .header("Content-Type", "application/json")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"tenant_id\":\"acme\",\"idempotency_key\":\""
                                + key
                                + "\",\"agent_id\":\"payments-api\","
                                + "\"environment\":\"production\",\"estimate\":5}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(gate.statusCode()).as(gate.body()).isEqualTo(200);
    return Json.mapper().readTree(gate.body()).at("/approval/id").asText();
  }

  private String status(Browser browser, String id) throws Exception {
    HttpResponse<String> response = browser.get(base + "/api/v1/approvals/acme/" + id);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Json.mapper().readTree(response.body()).get("status").asText();
  }

  @Test
  void theSessionApprovesThroughTheJsonApiToo() throws Exception {
    String id = openApproval("oidc-json-1");
    Browser browser = new Browser();
    browser.get(browser.signInAtProvider("/", "anna"));
    HttpResponse<String> approved =
        browser.send(
            HttpRequest.newBuilder(URI.create(base + "/api/v1/approvals/acme/" + id + "/approve"))
                .header("Content-Type", "application/json")
                .header("Sec-Fetch-Site", "same-origin")
                .POST(HttpRequest.BodyPublishers.ofString("{\"comment\":\"fine\"}")));
    assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
    assertThat(Json.mapper().readTree(approved.body()).get("status").asText())
        .isEqualTo("approved");
  }

  @Test
  void anotherSitesFormCannotApproveWithTheSession() throws Exception {
    String id = openApproval("oidc-csrf-1");
    Browser browser = new Browser();
    browser.get(browser.signInAtProvider("/", "anna"));
    URI approve = URI.create(base + "/api/v1/approvals/acme/" + id + "/approve");
    // an HTML form with no fields: an empty url-encoded body
    HttpResponse<String> emptyForm =
        browser.send(
            HttpRequest.newBuilder(approve)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.noBody()));
    // Refused before anyone is signed in: state changes are JSON documents (and a session counts
    // for a change only as JSON or the review page's form, a second line behind this one).
    assertThat(emptyForm.statusCode()).as(emptyForm.body()).isEqualTo(415);
    assertThat(emptyForm.body())
        .contains("application/json")
        .contains("\"code\":\"json_required\"");
    // JSON, but the browser says the page that sent it is another site's
    HttpResponse<String> crossSite =
        browser.send(
            HttpRequest.newBuilder(approve)
                .header("Content-Type", "application/json")
                .header("Sec-Fetch-Site", "cross-site")
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
    assertThat(crossSite.statusCode()).as(crossSite.body()).isEqualTo(403);
    assertThat(crossSite.body()).contains("\"code\":\"cross_site_request\"");
    assertThat(status(browser, id)).isEqualTo("pending");
  }

  @Test
  void theProvidersAnswerIsAcceptedOnce() throws Exception {
    Browser browser = new Browser();
    String callback = browser.signInAtProvider("/", "anna");
    Map<String, String> pendingCookie = new LinkedHashMap<>(browser.gateCookies);
    assertThat(browser.get(callback).statusCode()).isEqualTo(303);
    // the same answer again, with the pending sign-in cookie the browser had: refused
    browser.gateCookies.clear();
    browser.gateCookies.putAll(pendingCookie);
    HttpResponse<String> replay = browser.get(callback);
    assertThat(replay.statusCode()).isEqualTo(400);
    assertThat(replay.body()).contains("already used");
    assertThat(replay.headers().firstValue("Set-Cookie")).isEmpty();
  }

  @Test
  void anAnswerForAnotherBrowsersSignInIsRefused() throws Exception {
    Browser victim = new Browser();
    Browser attacker = new Browser();
    String attackersAnswer = attacker.signInAtProvider("/", "anna");
    victim.get(base + "/auth/login"); // the victim has a sign-in of its own in progress
    HttpResponse<String> planted = victim.get(attackersAnswer);
    assertThat(planted.statusCode()).isEqualTo(400);
    assertThat(planted.body()).contains("belongs to another sign-in");
    HttpResponse<String> noSignInStarted = new Browser().get(attackersAnswer);
    assertThat(noSignInStarted.statusCode()).isEqualTo(400);
    assertThat(noSignInStarted.body()).contains("no sign-in in progress");
    HttpResponse<String> otherIssuer =
        attacker.get(attackersAnswer.replaceAll("iss=[^&]+", "iss=https%3A%2F%2Fevil.example"));
    assertThat(otherIssuer.statusCode()).isEqualTo(400);
    assertThat(otherIssuer.body()).contains("another identity provider");
  }

  @Test
  void theReturnAddressMustBeOnThisGate() throws Exception {
    for (String away :
        new String[] {"https://evil.example/", "//evil.example", "/\\evil.example"}) {
      HttpResponse<String> response =
          new Browser()
              .get(
                  base
                      + "/auth/login?return_to="
                      + URLEncoder.encode(away, StandardCharsets.UTF_8));
      assertThat(response.statusCode()).as(away).isEqualTo(400);
      assertThat(response.headers().firstValue("Location")).isEmpty();
      assertThat(response.body()).contains("must be a path on this gate");
    }
  }

  @Test
  void aForgedSessionIsRefusedAndTheReviewPageSendsTheBrowserToSignIn() throws Exception {
    Browser browser = new Browser();
    browser.get(browser.signInAtProvider("/", "anna"));
    String name = "__Host-dvo_session";
    String value = browser.gateCookies.get(name);
    browser.gateCookies.put(name, "x" + value.substring(1));
    HttpResponse<String> api = browser.get(base + "/api/v1/whoami");
    assertThat(api.statusCode()).isEqualTo(401);
    assertThat(api.body()).contains("sign in again");
    HttpResponse<String> review = browser.get(base + "/api/v1/approvals/acme/apr-x/review");
    assertThat(review.statusCode()).isEqualTo(302);
    assertThat(review.headers().firstValue("Location").orElseThrow())
        .startsWith(
            "/auth/login?post_login_redirect_uri=%2Fapi%2Fv1%2Fapprovals%2Facme%2Fapr-x%2Freview");
  }

  @Test
  void signingOutNeedsTheSessionsTokenAndEndsTheProviderSessionToo() throws Exception {
    Browser browser = new Browser();
    browser.get(browser.signInAtProvider("/", "anna"));
    HttpResponse<String> page = browser.get(base + "/auth/logout");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
        .contains("form-action 'self' " + provider.issuer());
    Matcher token = CSRF.matcher(page.body());
    assertThat(token.find()).isTrue();

    HttpResponse<String> forged = browser.postForm(base + "/auth/logout", Map.of("csrf", "forged"));
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(whoami(browser).get("principal_id").asText()).isEqualTo("anna");

    HttpResponse<String> out =
        browser.postForm(base + "/auth/logout", Map.of("csrf", token.group(1)));
    assertThat(out.statusCode()).isEqualTo(303);
    assertThat(out.headers().firstValue("Location").orElseThrow())
        .startsWith(provider.issuer() + "/session/end?client_id=" + OidcTestProvider.CLIENT_ID)
        .contains(
            "post_logout_redirect_uri="
                + URLEncoder.encode(base + "/auth/signed-out", StandardCharsets.UTF_8));
    assertThat(out.headers().firstValue("Set-Cookie").orElseThrow()).contains("Max-Age=0");
    assertThat(browser.get(base + "/api/v1/whoami").statusCode()).isEqualTo(401);
  }

  @Test
  void theDevelopmentFormIsRefusedOutsideDevelopmentMode() throws Exception {
    Browser browser = new Browser();
    HttpResponse<String> form = browser.get(base + "/auth/dev-login");
    assertThat(form.statusCode()).isEqualTo(403);
    assertThat(form.body()).contains("Development sign-in is off");
    HttpResponse<String> post =
        browser.postForm(
            base + "/auth/dev-login", Map.of("user", "mallory", "roles", "admin", "tenants", "*"));
    assertThat(post.statusCode()).isEqualTo(403);
    assertThat(post.headers().firstValue("Set-Cookie")).isEmpty();
    // nor do the development headers count
    HttpResponse<String> headers =
        browser.send(
            HttpRequest.newBuilder(URI.create(base + "/api/v1/whoami"))
                .header("X-Dev-User", "mallory")
                .header("X-Dev-Roles", "admin"));
    assertThat(headers.statusCode()).isEqualTo(401);
    assertThat(headers.body()).contains("/auth/login");
  }
}
