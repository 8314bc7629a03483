package io.dvo.gate.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.json.Json;
import org.junit.jupiter.api.Test;

/** The validator itself must catch what it claims to, or the card tests prove nothing. */
class AdaptiveCard14ValidatorTest {

  private static JsonNode card(String body, String actions) throws Exception {
    return Json.mapper()
        .readTree(
            "{\"type\":\"AdaptiveCard\",\"version\":\"1.4\",\"body\":"
                + body
                + ",\"actions\":"
                + actions
                + "}");
  }

  @Test
  void acceptsAMinimalValidCard() throws Exception {
    assertThat(
            AdaptiveCard14Validator.validate(
                card(
                    "[{\"type\":\"TextBlock\",\"text\":\"hi\",\"wrap\":true}]",
                    "[{\"type\":\"Action.OpenUrl\",\"title\":\"Go\",\"url\":\"https://x.example/a\"}]")))
        .isEmpty();
  }

  @Test
  void rejectsAnotherVersion() throws Exception {
    JsonNode c =
        Json.mapper().readTree("{\"type\":\"AdaptiveCard\",\"version\":\"1.5\",\"body\":[]}");
    assertThat(AdaptiveCard14Validator.validate(c)).anyMatch(p -> p.contains("version"));
  }

  @Test
  void rejectsActionsOtherThanOpenUrl() throws Exception {
    assertThat(
            AdaptiveCard14Validator.validate(
                card("[]", "[{\"type\":\"Action.Submit\",\"title\":\"Approve\"}]")))
        .anyMatch(p -> p.contains("Action.OpenUrl only"));
    assertThat(
            AdaptiveCard14Validator.validate(
                card("[]", "[{\"type\":\"Action.Execute\",\"title\":\"Approve\"}]")))
        .isNotEmpty();
  }

  @Test
  void rejectsRelativeOrScriptUrls() throws Exception {
    assertThat(
            AdaptiveCard14Validator.validate(
                card("[]", "[{\"type\":\"Action.OpenUrl\",\"url\":\"/review\"}]")))
        .anyMatch(p -> p.contains("absolute http(s) URL"));
    assertThat(
            AdaptiveCard14Validator.validate(
                card("[]", "[{\"type\":\"Action.OpenUrl\",\"url\":\"javascript:alert(1)\"}]")))
        .anyMatch(p -> p.contains("absolute http(s) URL"));
  }

  @Test
  void rejectsElementsAndPropertiesNewerThan14() throws Exception {
    assertThat(
            AdaptiveCard14Validator.validate(card("[{\"type\":\"Table\",\"columns\":[]}]", "[]")))
        .anyMatch(p -> p.contains("\"Table\""));
    assertThat(
            AdaptiveCard14Validator.validate(
                card("[{\"type\":\"TextBlock\",\"text\":\"h\",\"style\":\"heading\"}]", "[]")))
        .anyMatch(p -> p.contains("style is not a property of TextBlock"));
    assertThat(
            AdaptiveCard14Validator.validate(
                card("[{\"type\":\"Input.Text\",\"id\":\"c\"}]", "[]")))
        .isNotEmpty();
  }

  @Test
  void rejectsMissingRequiredFieldsAndUnknownEnumValues() throws Exception {
    assertThat(AdaptiveCard14Validator.validate(card("[{\"type\":\"TextBlock\"}]", "[]")))
        .anyMatch(p -> p.contains("$.body[0].text is required"));
    assertThat(
            AdaptiveCard14Validator.validate(
                card("[{\"type\":\"RichTextBlock\",\"inlines\":[{\"type\":\"TextRun\"}]}]", "[]")))
        .anyMatch(p -> p.contains("inlines[0].text is required"));
    assertThat(
            AdaptiveCard14Validator.validate(
                card("[{\"type\":\"TextBlock\",\"text\":\"a\",\"color\":\"purple\"}]", "[]")))
        .anyMatch(p -> p.contains("color has an unknown value"));
    assertThat(
            AdaptiveCard14Validator.validate(
                card("[{\"type\":\"FactSet\",\"facts\":[{\"title\":\"a\"}]}]", "[]")))
        .anyMatch(p -> p.contains("facts[0].value is required"));
  }

  @Test
  void checksTheEnvelope() throws Exception {
    JsonNode message =
        Json.mapper()
            .readTree(
                "{\"type\":\"message\",\"attachments\":[{\"contentType\":\"text/plain\",\"content\":{\"type\":\"AdaptiveCard\",\"version\":\"1.4\"}}]}");
    assertThat(AdaptiveCard14Validator.validateEnvelope(message))
        .anyMatch(p -> p.contains("contentType"));
  }
}
