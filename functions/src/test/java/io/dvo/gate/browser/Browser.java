package io.dvo.gate.browser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.FluentWait;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Chromium for all browser tests of this JVM (starting it costs seconds), driven by
 * Debian's chromedriver. Both paths are given explicitly so Selenium Manager never tries to
 * download a browser. Missing packages fail the tests with the command that installs them.
 */
final class Browser {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  private static ChromeDriver driver;

  private Browser() {}

  /**
   * A wait for what a click or a redirect leads to. While the next page replaces the current one,
   * chromedriver can fail a look at the old page's elements with "Node with given id does not
   * belong to the document", a plain {@link WebDriverException} rather than a stale element; the
   * wait looks again instead of failing (a timeout still reports the last such error).
   */
  static FluentWait<WebDriver> waitFor(WebDriver driver, Duration timeout) {
    return new WebDriverWait(driver, timeout).ignoring(WebDriverException.class);
  }

  static synchronized ChromeDriver driver() {
    if (driver != null) {
      return driver;
    }
    for (Path tool : new Path[] {CHROMIUM, CHROMEDRIVER}) {
      if (!Files.isExecutable(tool)) {
        throw new AssertionError(
            tool
                + " is missing: browser tests need Debian's chromium and chromium-driver. Install"
                + " them with scripts/setup (scripts/setup.d/30-chromium.sh), i.e. apt-get update &&"
                + " apt-get install -y chromium chromium-driver");
      }
    }
    Path profile;
    try {
      profile = Files.createTempDirectory("dvo-chromium-profile");
    } catch (IOException e) {
      throw new AssertionError("cannot create a Chromium profile directory: " + e, e);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        "--window-size=1000,900",
        "--user-data-dir=" + profile);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    driver.executeCdpCommand("Network.enable", Map.of());
    ChromeDriver started = driver;
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    started.quit();
                  } catch (RuntimeException ignored) {
                    // The JVM is exiting; the profile below is removed all the same.
                  }
                  deleteTree(profile);
                }));
    return driver;
  }

  /** Removes the throw-away Chromium profile, so test runs leave nothing in the temp directory. */
  private static void deleteTree(Path root) {
    try (java.util.stream.Stream<Path> paths = Files.walk(root)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException | RuntimeException ignored) {
      // Best effort at JVM exit: a leftover profile is harmless.
    }
  }

  /**
   * Signs the browser in as a development-mode user: every request from now on carries the dev
   * headers (set through the DevTools protocol, as a browser cannot be told to send headers
   * otherwise). The server accepts them only in dev mode, which refuses to run in Azure.
   */
  static void signIn(String user, String email, String roles, String tenant) {
    Map<String, Object> headers = new LinkedHashMap<>();
    headers.put("X-Dev-User", user);
    headers.put("X-Dev-Email", email);
    headers.put("X-Dev-Roles", roles);
    headers.put("X-Tenant-Id", tenant);
    driver().executeCdpCommand("Network.setExtraHTTPHeaders", Map.of("headers", headers));
  }

  static void signOut() {
    driver().executeCdpCommand("Network.setExtraHTTPHeaders", Map.of("headers", Map.of()));
  }

  /** A PNG of the whole page at {@code width} CSS pixels (a phone is about 400). */
  static byte[] fullPage(int width) {
    return top(width, Integer.MAX_VALUE);
  }

  /** A PNG of the page's top, at most {@code maxHeight} CSS pixels (for very long pages). */
  static byte[] top(int width, int maxHeight) {
    ChromeDriver d = driver();
    Number height =
        (Number)
            d.executeScript(
                "return Math.max(document.documentElement.scrollHeight, document.body.scrollHeight)");
    d.executeCdpCommand(
        "Emulation.setDeviceMetricsOverride",
        Map.of("width", width, "height", 800, "deviceScaleFactor", 1, "mobile", width < 600));
    height =
        (Number)
            d.executeScript(
                "return Math.max(document.documentElement.scrollHeight, document.body.scrollHeight)");
    Map<String, Object> clip =
        Map.of(
            "x",
            0,
            "y",
            0,
            "width",
            width,
            "height",
            Math.min(height.intValue(), maxHeight),
            "scale",
            1);
    Map<String, Object> shot =
        d.executeCdpCommand(
            "Page.captureScreenshot",
            Map.of("format", "png", "captureBeyondViewport", true, "clip", clip));
    d.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
    return Base64.getDecoder().decode((String) shot.get("data"));
  }

  /** Writes a screenshot under functions/target/screenshots/ and returns its path. */
  static Path save(String name, byte[] png) throws IOException {
    Path dir = Path.of("target", "screenshots");
    Files.createDirectories(dir);
    Path file = dir.resolve(name);
    Files.write(file, png);
    return file;
  }
}
