package io.dvo.gate.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.dvo.gate.approval.ApprovalNotifier.Kind;
import io.dvo.gate.json.Json;
import io.dvo.gate.notify.ApprovalFixtures;
import io.dvo.gate.notify.TeamsCardBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Renders the Teams card with Microsoft's adaptivecards library in Chromium: the library must read
 * it as version 1.4 without complaint, show its facts and buttons, and the screenshot shows people
 * what approvers get (copied to docs/images/teams-card.png).
 */
class TeamsCardRenderTest {
  private static final Path CARD_RENDER =
      Path.of("..", "tools", "card-render").toAbsolutePath().normalize();

  @Test
  void teamsCardRendersInAdaptiveCardsAsVersion14WithoutProblems() throws Exception {
    Path library = CARD_RENDER.resolve("node_modules/adaptivecards/dist/adaptivecards.min.js");
    assertThat(library)
        .as("adaptivecards is installed: run scripts/setup (npm ci in tools/card-render)")
        .exists();
    String card =
        Json.mapper()
            .writeValueAsString(
                new TeamsCardBuilder(ZoneId.of("UTC"))
                    .card(
                        ApprovalFixtures.pending(),
                        Kind.REQUESTED,
                        "https://gate.acme.example/api/v1/approvals/acme/appr-1/review",
                        ApprovalFixtures.CREATED.plusSeconds(60)));
    Path page = Path.of("target", "card-render", "teams-card.html").toAbsolutePath();
    Files.createDirectories(page.getParent());
    Files.writeString(
        page,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>card</title>"
            + "<style>body{margin:0;background:#f0f0f0;font-family:'DejaVu Sans',sans-serif}"
            + "#frame{width:560px;margin:0;padding:12px;background:#f0f0f0}"
            + "#card{background:#fff;border:1px solid #e0e0e0;border-radius:6px;overflow:hidden}"
            // Teams draws its own buttons; without the host's stylesheet they would look like
            // bare form controls.
            + ".ac-pushButton{font:600 14px 'DejaVu Sans',sans-serif;color:#242424;background:#fff;"
            + "border:1px solid #d1d1d1;border-radius:4px;padding:5px 12px;min-height:32px}"
            + ".ac-pushButton.style-positive{background:#5b5fc7;color:#fff;border-color:#5b5fc7}"
            + "</style>"
            + "</head><body><div id=\"frame\"><div id=\"card\"></div></div>"
            + "<script src=\""
            + library.toUri()
            + "\"></script>"
            + "<script src=\""
            + CARD_RENDER.resolve("render.js").toUri()
            + "\"></script>"
            + "<script>try { window.problems = renderCard("
            + card
            + ", document.getElementById('card')); } catch (e) { window.problems = ['exception: ' + e"
            + " + (typeof AdaptiveCards === 'undefined' ? ' (adaptivecards did not load)' : '')]; }"
            + "</script>"
            + "</body></html>",
        StandardCharsets.UTF_8);

    ChromeDriver driver = Browser.driver();
    driver.get(page.toUri().toString());

    @SuppressWarnings("unchecked")
    List<String> problems = (List<String>) driver.executeScript("return window.problems;");
    assertThat(problems).as("adaptivecards found no problem reading the card as 1.4").isEmpty();
    WebElement rendered = driver.findElement(By.id("card"));
    assertThat(rendered.getText())
        .contains("Approval needed")
        .contains("Run billing-api in prod (tenant acme)")
        .contains("Rita Requester")
        .contains("Restart database")
        .contains("Review and decide")
        .contains("Open the build");
    assertThat(driver.findElements(By.cssSelector("#card button")))
        .extracting(WebElement::getText)
        .containsExactly("Review and decide", "Open the build");

    Path shot =
        Browser.save(
            "teams-card.png", driver.findElement(By.id("frame")).getScreenshotAs(OutputType.BYTES));
    assertThat(Files.size(shot)).isGreaterThan(10_000);
  }
}
