package io.dvo.gate.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.config.GateApp;
import io.dvo.gate.config.Settings;
import io.dvo.gate.http.auth.ApiKeys;
import io.dvo.gate.json.Json;
import io.dvo.gate.server.LocalServer;
import io.dvo.gate.server.ServerOptions;
import io.dvo.gate.settings.Setting;
import io.dvo.gate.signin.OidcTestProvider;
import io.dvo.gate.store.sqlite.SqliteStores;
import io.dvo.gate.testsupport.GateFixture;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.FluentWait;

/**
 * People signing in with a real Chromium: at a real OpenID Provider (npm oidc-provider, its own
 * login and consent pages) in front of a gate that is not in development mode, and with the
 * development sign-in form in front of one that is. Each test starts with no cookies at all, so
 * nobody is signed in at the gate or the provider.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SignInBrowserTest {
  private static final String PIPELINE_KEY = "dvo_pipeline-key-for-the-browser-sign-in-tests-01";
  private static final AtomicInteger BUILDS = new AtomicInteger();

  private OidcTestProvider provider;
  private LocalServer oidcGate;
  private LocalServer devGate;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void start() throws Exception {
    Browser.driver();
    int oidcPort = freePort();
    String oidcBase = "http://127.0.0.1:" + oidcPort;
    provider =
        OidcTestProvider.start(
            oidcBase,
            Map.of(
                "anna",
                new OidcTestProvider.User(
                    "anna@acme.example", "Anna Approver", List.of("Gate.Release"), List.of("acme")),
                "victor",
                new OidcTestProvider.User(
                    "victor@acme.example",
                    "Victor Viewer",
                    List.of("Gate.Viewer"),
                    List.of("acme")),
                "otto",
                new OidcTestProvider.User(
                    "otto@globex.example",
                    "Otto Outsider",
                    List.of("Gate.Release"),
                    List.of("globex"))));
    Map<Setting, String> oidc = common(oidcBase);
    oidc.put(Setting.DVO_DEV_MODE, "false");
    oidc.put(Setting.DVO_TRUST_PRINCIPAL_HEADER, "false");
    oidc.put(Setting.DVO_CSRF_SECRET, "csrf-secret-for-the-browser-sign-in-tests-0123");
    oidc.put(Setting.DVO_OIDC_ISSUER, provider.issuer());
    oidc.put(Setting.DVO_OIDC_CLIENT_ID, OidcTestProvider.CLIENT_ID);
    oidc.put(Setting.DVO_OIDC_CLIENT_SECRET, OidcTestProvider.CLIENT_SECRET);
    oidc.put(Setting.DVO_OIDC_SCOPES, "openid email profile gate");
    oidc.put(Setting.DVO_SESSION_SECRET, "session-secret-for-the-browser-sign-in-tests-01");
    oidcGate = gate("dvo-signin-oidc", oidc, oidcPort);

    int devPort = freePort();
    Map<Setting, String> dev = common("http://127.0.0.1:" + devPort);
    dev.put(Setting.DVO_DEV_MODE, "true");
    devGate = gate("dvo-signin-dev", dev, devPort);
  }

  private static Map<Setting, String> common(String base) {
    Map<Setting, String> values = new HashMap<>();
    values.put(Setting.DVO_PUBLIC_BASE_URL, base);
    values.put(Setting.DVO_NO_QUOTA, "allow");
    values.put(Setting.DVO_ROLE_MAP, "{\"Gate.Release\":\"release_manager\"}");
    values.put(
        Setting.DVO_API_KEYS,
        "[{\"id\":\"pipeline\",\"sha256\":\""
            + ApiKeys.sha256Hex(PIPELINE_KEY)
            + "\",\"roles\":[\"gate_caller\"],\"tenants\":[\"acme\"]}]");
    return values;
  }

  private static LocalServer gate(String name, Map<Setting, String> values, int port)
      throws Exception {
    Path dir = Files.createTempDirectory(name);
    Settings settings = GateFixture.settings(dir).with(values);
    GateApp app =
        GateApp.create(settings, SqliteStores.open(dir.resolve("gate.db")), Clock.systemUTC());
    return LocalServer.start(app, ServerOptions.defaults("127.0.0.1", port));
  }

  private static int freePort() throws Exception {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return probe.getLocalPort();
    }
  }

  @AfterAll
  void stop() {
    // Cookies belong to the host, not the port: leave none for the other browser tests' gates.
    Browser.driver().executeCdpCommand("Network.clearBrowserCookies", Map.of());
    for (AutoCloseable closeable : new AutoCloseable[] {oidcGate, devGate, provider}) {
      try {
        if (closeable != null) {
          closeable.close();
        }
      } catch (Exception e) {
        // best effort at the end of the class
      }
    }
  }

  @BeforeEach
  void nobodySignedIn() {
    ChromeDriver driver = Browser.driver();
    Browser.signOut(); // no development headers from other browser tests
    driver.executeCdpCommand("Network.clearBrowserCookies", Map.of());
  }

  /** A pipeline asks to deploy to production; the answer is pending_approval with a review link. */
  private String reviewLink(LocalServer gate) throws Exception {
    String body =
        "{\"tenant_id\":\"acme\",\"idempotency_key\":\"browser-sign-in-"
            + BUILDS.incrementAndGet()
            + "\",\"agent_id\":\"payments-api\",\"environment\":\"production\",\"estimate\":5}";
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gate.port() + "/api/v1/gate"))
                .header("X-DVO-API-Key", PIPELINE_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Json.mapper().readTree(response.body()).at("/approval/review_url").asText();
  }

  private static FluentWait<WebDriver> waiting(ChromeDriver driver) {
    return Browser.waitFor(driver, Duration.ofSeconds(20));
  }

  /** Signs in at the provider's own login and consent pages, as a person types. */
  private void signInAtProvider(ChromeDriver driver, String login) {
    WebElement name =
        waiting(driver).until(ExpectedConditions.visibilityOfElementLocated(By.name("login")));
    assertThat(driver.getCurrentUrl()).startsWith(provider.issuer() + "/interaction/");
    name.sendKeys(login);
    driver.findElement(By.name("password")).sendKeys("any password");
    driver.findElement(By.cssSelector("button[type=submit]")).click();
    // consent: the gate asks for the openid, email, profile and gate scopes
    waiting(driver)
        .until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("body"), "Continue"));
    driver.findElement(By.xpath("//button[normalize-space()='Continue']")).click();
  }

  private static void awaitApprovedNotice(ChromeDriver driver) {
    waiting(driver)
        .until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector(".notice"), "the request is now approved"));
  }

  private static String mainText(ChromeDriver driver) {
    return driver.findElement(By.tagName("main")).getText();
  }

  private static List<WebElement> approveButtons(ChromeDriver driver) {
    return driver.findElements(By.xpath("//button[normalize-space()='Approve']"));
  }

  private static void awaitUrl(ChromeDriver driver, String url) {
    waiting(driver).until(ExpectedConditions.urlToBe(url));
  }

  @Test
  void anApproverSignsInAtTheProviderLandsOnTheReviewPageAndApproves() throws Exception {
    String review = reviewLink(oidcGate);
    ChromeDriver driver = Browser.driver();
    driver.get(review);
    signInAtProvider(driver, "anna");

    awaitUrl(driver, review);
    assertThat(mainText(driver)).contains("payments-api");
    Browser.save("sign-in-oidc-review.png", Browser.fullPage(1280));
    approveButtons(driver).get(0).click();
    // Post/Redirect/Get: back on the review page, which says what the vote did.
    awaitApprovedNotice(driver);
    assertThat(driver.getCurrentUrl()).isEqualTo(review);

    // signing out ends the gate's session and, through its logout page, the provider's
    driver.findElement(By.linkText("Sign out")).click();
    awaitUrl(driver, "http://127.0.0.1:" + oidcGate.port() + "/auth/logout");
    assertThat(mainText(driver)).contains("You are signed in as anna@acme.example");
    driver.findElement(By.xpath("//button[normalize-space()='Sign out']")).click();
    waiting(driver)
        .until(ExpectedConditions.elementToBeClickable(By.xpath("//button[@value='yes']")))
        .click();
    awaitUrl(driver, "http://127.0.0.1:" + oidcGate.port() + "/auth/signed-out");
    assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("Signed out");
    driver.get(review);
    waiting(driver).until(ExpectedConditions.visibilityOfElementLocated(By.name("login")));
    assertThat(driver.getCurrentUrl()).startsWith(provider.issuer());
  }

  @Test
  void aPersonWithoutTheApproverRoleIsToldWhyAndGetsNoButtons() throws Exception {
    String review = reviewLink(oidcGate);
    ChromeDriver driver = Browser.driver();
    driver.get(review);
    signInAtProvider(driver, "victor");

    awaitUrl(driver, review);
    assertThat(mainText(driver))
        .contains("You cannot decide on this request")
        .contains("not one of its approvers")
        .contains("release_manager")
        .contains("Gate.Viewer");
    assertThat(approveButtons(driver)).isEmpty();
    Browser.save("sign-in-oidc-wrong-role.png", Browser.fullPage(1280));
  }

  @Test
  void aPersonOfAnotherTenantIsRefusedWithAClearPage() throws Exception {
    String review = reviewLink(oidcGate);
    ChromeDriver driver = Browser.driver();
    driver.get(review);
    signInAtProvider(driver, "otto");

    awaitUrl(driver, review);
    assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("No access");
    assertThat(mainText(driver))
        .contains("may not act for tenant acme")
        .doesNotContain("payments-api");
    assertThat(approveButtons(driver)).isEmpty();
  }

  @Test
  void inDevelopmentModeTheQuickStartLinkOpensTheSignInFormAndThenTheReviewPage() throws Exception {
    String review = reviewLink(devGate);
    ChromeDriver driver = Browser.driver();
    driver.get(review);

    waiting(driver).until(ExpectedConditions.visibilityOfElementLocated(By.id("user")));
    assertThat(driver.getCurrentUrl())
        .startsWith("http://127.0.0.1:" + devGate.port() + "/auth/dev-login?return_to=");
    assertThat(driver.findElement(By.tagName("h1")).getText()).isEqualTo("Development sign-in");
    driver.findElement(By.id("user")).sendKeys("anna");
    driver.findElement(By.id("email")).sendKeys("anna@acme.example");
    driver.findElement(By.id("roles")).sendKeys("release_manager");
    driver.findElement(By.id("tenants")).sendKeys("acme");
    Browser.save("sign-in-dev.png", Browser.fullPage(1280));
    driver.findElement(By.xpath("//button[normalize-space()='Sign in']")).click();

    awaitUrl(driver, review);
    assertThat(mainText(driver)).contains("payments-api");
    approveButtons(driver).get(0).click();
    awaitApprovedNotice(driver);
    assertThat(driver.getCurrentUrl()).isEqualTo(review);
  }

  @Test
  void theDevelopmentFormSaysWhatIsWrongAndSignsNobodyIn() throws Exception {
    ChromeDriver driver = Browser.driver();
    driver.get("http://127.0.0.1:" + devGate.port() + "/auth/dev-login");
    driver.findElement(By.id("roles")).sendKeys("release manager!");
    // the browser requires the user id: remove that hint to see the server's own check
    driver.executeScript("document.getElementById('user').removeAttribute('required')");
    driver.findElement(By.xpath("//button[normalize-space()='Sign in']")).click();
    waiting(driver).until(ExpectedConditions.visibilityOfElementLocated(By.id("user-error")));
    assertThat(driver.findElement(By.id("user-error")).getText()).isEqualTo("Enter a user id.");
    assertThat(driver.findElement(By.id("roles")).getAttribute("aria-invalid")).isEqualTo("true");
    assertThat(driver.manage().getCookies()).isEmpty();
  }

  @Test
  void theDevelopmentFormIsRefusedOutsideDevelopmentMode() {
    ChromeDriver driver = Browser.driver();
    driver.get("http://127.0.0.1:" + oidcGate.port() + "/auth/dev-login");
    assertThat(driver.findElement(By.tagName("h1")).getText())
        .isEqualTo("Development sign-in is off");
    assertThat(driver.findElements(By.tagName("form"))).isEmpty();
  }
}
