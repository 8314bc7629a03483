package io.dvo.gate.notify;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Checks a card against the Adaptive Card 1.4 rules that matter for Teams Workflows: version "1.4";
 * only element types that exist in 1.4 (and no inputs: a webhook card cannot submit); each
 * element's required fields and known properties (a 1.5-only property such as TextBlock.style or
 * Action.tooltip is an error); enumerated values; only Action.OpenUrl, with an absolute http(s)
 * URL. Returns every problem with its JSON path, empty when the card is valid.
 */
final class AdaptiveCard14Validator {
  private static final Set<String> COMMON =
      Set.of("type", "id", "spacing", "separator", "height", "isVisible", "requires", "fallback");

  private static final Map<String, Set<String>> ELEMENT_PROPERTIES =
      Map.of(
          "TextBlock",
          Set.of(
              "text",
              "color",
              "fontType",
              "horizontalAlignment",
              "isSubtle",
              "maxLines",
              "size",
              "weight",
              "wrap"),
          "RichTextBlock",
          Set.of("inlines", "horizontalAlignment"),
          "Image",
          Set.of(
              "url",
              "altText",
              "backgroundColor",
              "horizontalAlignment",
              "selectAction",
              "size",
              "style",
              "width"),
          "Container",
          Set.of(
              "items",
              "selectAction",
              "style",
              "verticalContentAlignment",
              "bleed",
              "backgroundImage",
              "minHeight",
              "rtl"),
          "ColumnSet",
          Set.of("columns", "selectAction", "style", "horizontalAlignment", "bleed", "minHeight"),
          "FactSet",
          Set.of("facts"),
          "ImageSet",
          Set.of("images", "imageSize"),
          "ActionSet",
          Set.of("actions"));

  private static final Set<String> REQUIRED_ARRAY =
      Set.of("inlines", "items", "columns", "facts", "images", "actions");

  private static final Set<String> COLUMN_PROPERTIES =
      Set.of(
          "type",
          "id",
          "items",
          "backgroundImage",
          "bleed",
          "fallback",
          "minHeight",
          "rtl",
          "separator",
          "spacing",
          "selectAction",
          "style",
          "verticalContentAlignment",
          "width",
          "isVisible",
          "requires");

  private static final Set<String> TEXT_RUN_PROPERTIES =
      Set.of(
          "type",
          "text",
          "color",
          "fontType",
          "highlight",
          "isSubtle",
          "italic",
          "selectAction",
          "size",
          "strikethrough",
          "underline",
          "weight");

  private static final Set<String> OPEN_URL_PROPERTIES =
      Set.of("type", "url", "title", "iconUrl", "style", "id", "fallback", "requires");

  private static final Set<String> ROOT_PROPERTIES =
      Set.of(
          "type",
          "version",
          "body",
          "actions",
          "$schema",
          "fallbackText",
          "backgroundImage",
          "minHeight",
          "rtl",
          "speak",
          "lang",
          "verticalContentAlignment",
          "selectAction",
          "msteams");

  private static final Map<String, Set<String>> ENUMS =
      Map.of(
          "size", Set.of("default", "small", "medium", "large", "extralarge"),
          "weight", Set.of("default", "lighter", "bolder"),
          "color", Set.of("default", "dark", "light", "accent", "good", "warning", "attention"),
          "spacing", Set.of("default", "none", "small", "medium", "large", "extralarge", "padding"),
          "fontType", Set.of("default", "monospace"),
          "horizontalAlignment", Set.of("left", "center", "right"),
          "verticalContentAlignment", Set.of("top", "center", "bottom"),
          "height", Set.of("auto", "stretch"));

  private static final Set<String> CONTAINER_STYLES =
      Set.of("default", "emphasis", "good", "attention", "warning", "accent");

  private static final Set<String> BOOLEANS =
      Set.of(
          "wrap",
          "isSubtle",
          "separator",
          "isVisible",
          "bleed",
          "italic",
          "strikethrough",
          "underline",
          "highlight");

  private final List<String> problems = new ArrayList<>();

  static List<String> validate(JsonNode card) {
    AdaptiveCard14Validator validator = new AdaptiveCard14Validator();
    validator.root(card);
    return validator.problems;
  }

  /** The Workflows envelope around one card; the card's problems are prefixed with its path. */
  static List<String> validateEnvelope(JsonNode message) {
    AdaptiveCard14Validator validator = new AdaptiveCard14Validator();
    if (!"message".equals(message.path("type").asText())) {
      validator.problems.add("$.type must be \"message\"");
    }
    JsonNode attachments = message.path("attachments");
    if (!attachments.isArray() || attachments.size() != 1) {
      validator.problems.add("$.attachments must hold exactly one attachment");
      return validator.problems;
    }
    JsonNode attachment = attachments.get(0);
    if (!"application/vnd.microsoft.card.adaptive"
        .equals(attachment.path("contentType").asText())) {
      validator.problems.add(
          "$.attachments[0].contentType must be application/vnd.microsoft.card.adaptive");
    }
    validator.root(attachment.path("content"));
    return validator.problems;
  }

  private void root(JsonNode card) {
    String path = "$";
    if (!card.isObject()) {
      problems.add(path + " must be an object");
      return;
    }
    if (!"AdaptiveCard".equals(card.path("type").asText())) {
      problems.add(path + ".type must be AdaptiveCard");
    }
    if (!"1.4".equals(card.path("version").asText(null))) {
      problems.add(path + ".version must be \"1.4\" (Teams Workflows renders up to 1.4)");
    }
    knownProperties(card, ROOT_PROPERTIES, path);
    if (card.has("body")) {
      elements(card.get("body"), path + ".body");
    }
    if (card.has("actions")) {
      actions(card.get("actions"), path + ".actions");
    }
  }

  private void elements(JsonNode list, String path) {
    if (!list.isArray()) {
      problems.add(path + " must be an array");
      return;
    }
    for (int i = 0; i < list.size(); i++) {
      element(list.get(i), path + "[" + i + "]");
    }
  }

  private void element(JsonNode element, String path) {
    String type = element.path("type").asText("");
    Set<String> own = ELEMENT_PROPERTIES.get(type);
    if (own == null) {
      problems.add(path + ".type \"" + type + "\" is not an Adaptive Card 1.4 display element");
      return;
    }
    for (Iterator<String> names = element.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!COMMON.contains(name) && !own.contains(name)) {
        problems.add(path + "." + name + " is not a property of " + type + " in 1.4");
      }
    }
    enums(element, path);
    switch (type) {
      case "TextBlock" -> requiredString(element, "text", path);
      case "RichTextBlock" -> {
        requiredArray(element, "inlines", path);
        JsonNode inlines = element.path("inlines");
        for (int i = 0; i < inlines.size(); i++) {
          textRun(inlines.get(i), path + ".inlines[" + i + "]");
        }
      }
      case "Image" -> url(element, "url", path);
      case "Container" -> {
        requiredArray(element, "items", path);
        style(element, path);
        elements(element.path("items"), path + ".items");
      }
      case "ColumnSet" -> {
        requiredArray(element, "columns", path);
        style(element, path);
        JsonNode columns = element.path("columns");
        for (int i = 0; i < columns.size(); i++) {
          column(columns.get(i), path + ".columns[" + i + "]");
        }
      }
      case "FactSet" -> {
        requiredArray(element, "facts", path);
        JsonNode facts = element.path("facts");
        for (int i = 0; i < facts.size(); i++) {
          requiredString(facts.get(i), "title", path + ".facts[" + i + "]");
          requiredString(facts.get(i), "value", path + ".facts[" + i + "]");
        }
      }
      case "ImageSet" -> requiredArray(element, "images", path);
      case "ActionSet" -> {
        requiredArray(element, "actions", path);
        actions(element.path("actions"), path + ".actions");
      }
      default -> throw new IllegalStateException(type);
    }
    REQUIRED_ARRAY.forEach(
        name -> {
          if (element.has(name) && element.get(name).isEmpty()) {
            problems.add(path + "." + name + " must not be empty");
          }
        });
  }

  private void column(JsonNode column, String path) {
    if (!"Column".equals(column.path("type").asText())) {
      problems.add(path + ".type must be Column");
    }
    knownProperties(column, COLUMN_PROPERTIES, path);
    enums(column, path);
    style(column, path);
    JsonNode width = column.get("width");
    if (width != null
        && !width.isNumber()
        && !width.asText().matches("(?i)auto|stretch|[0-9]+px")) {
      problems.add(path + ".width must be auto, stretch, a weight or \"Npx\"");
    }
    if (column.has("items")) {
      elements(column.get("items"), path + ".items");
    }
  }

  private void textRun(JsonNode run, String path) {
    if (run.isTextual()) {
      return;
    }
    if (!"TextRun".equals(run.path("type").asText())) {
      problems.add(path + " must be a TextRun (or a string)");
      return;
    }
    knownProperties(run, TEXT_RUN_PROPERTIES, path);
    requiredString(run, "text", path);
    enums(run, path);
    if (run.has("selectAction")) {
      action(run.get("selectAction"), path + ".selectAction");
    }
  }

  private void actions(JsonNode list, String path) {
    if (!list.isArray()) {
      problems.add(path + " must be an array");
      return;
    }
    for (int i = 0; i < list.size(); i++) {
      action(list.get(i), path + "[" + i + "]");
    }
  }

  private void action(JsonNode action, String path) {
    String type = action.path("type").asText("");
    if (!"Action.OpenUrl".equals(type)) {
      problems.add(path + ".type \"" + type + "\" is not allowed: use Action.OpenUrl only");
      return;
    }
    knownProperties(action, OPEN_URL_PROPERTIES, path);
    url(action, "url", path);
    if (action.has("title") && !action.get("title").isTextual()) {
      problems.add(path + ".title must be a string");
    }
    if (action.has("style")
        && !Set.of("default", "positive", "destructive")
            .contains(action.get("style").asText().toLowerCase(Locale.ROOT))) {
      problems.add(path + ".style must be default, positive or destructive");
    }
  }

  private void knownProperties(JsonNode node, Set<String> allowed, String path) {
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) {
        problems.add(path + "." + name + " is not allowed here in 1.4");
      }
    }
  }

  private void enums(JsonNode node, String path) {
    ENUMS.forEach(
        (name, values) -> {
          JsonNode value = node.get(name);
          if (value != null
              && !(value.isTextual() && values.contains(value.asText().toLowerCase(Locale.ROOT)))) {
            problems.add(path + "." + name + " has an unknown value " + value);
          }
        });
    BOOLEANS.forEach(
        name -> {
          if (node.has(name) && !node.get(name).isBoolean()) {
            problems.add(path + "." + name + " must be a boolean");
          }
        });
  }

  private void style(JsonNode node, String path) {
    JsonNode style = node.get("style");
    if (style != null && !CONTAINER_STYLES.contains(style.asText().toLowerCase(Locale.ROOT))) {
      problems.add(path + ".style has an unknown value " + style);
    }
  }

  private void requiredString(JsonNode node, String name, String path) {
    if (!node.path(name).isTextual()) {
      problems.add(path + "." + name + " is required (a string)");
    }
  }

  private void requiredArray(JsonNode node, String name, String path) {
    if (!node.path(name).isArray()) {
      problems.add(path + "." + name + " is required (an array)");
    }
  }

  private void url(JsonNode node, String name, String path) {
    JsonNode value = node.get(name);
    if (value == null || !value.isTextual()) {
      problems.add(path + "." + name + " is required (a URL)");
      return;
    }
    try {
      URI uri = URI.create(value.asText());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme();
      if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
        problems.add(path + "." + name + " must be an absolute http(s) URL");
      }
    } catch (IllegalArgumentException e) {
      problems.add(path + "." + name + " is not a valid URL");
    }
  }
}
