package io.dvo.gate.policy;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A YAML (or JSON) document read into a tree that remembers the line of every node, so problems can
 * name the line. Paths look like {@code rules[2].conditions[0].operator}. Duplicate keys and more
 * than one document are errors.
 */
public final class LocatedYaml {
  private static final YAMLFactory YAML = YAMLFactory.builder().build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

  private final JsonNode root;
  private final Map<String, Integer> lines;

  private LocatedYaml(JsonNode root, Map<String, Integer> lines) {
    this.root = root;
    this.lines = lines;
  }

  /** The problem that made a file unreadable, with its line when known. */
  public static final class ReadException extends Exception {
    private final Integer line;

    ReadException(String message, Integer line) {
      super(message);
      this.line = line;
    }

    public Integer line() {
      return line;
    }
  }

  public static LocatedYaml read(Path file) throws ReadException {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return read(reader);
    } catch (IOException e) {
      throw new ReadException("cannot read: " + e.getMessage(), null);
    }
  }

  /** Reads YAML (or JSON) text, e.g. a rule written inline. */
  public static LocatedYaml parse(String text) throws ReadException {
    try (Reader reader = new StringReader(text)) {
      return read(reader);
    } catch (IOException e) {
      throw new ReadException("cannot read: " + e.getMessage(), null);
    }
  }

  private static LocatedYaml read(Reader reader) throws ReadException, IOException {
    try (JsonParser parser = YAML.createParser(reader)) {
      Map<String, Integer> lines = new HashMap<>();
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw new ReadException("file is empty", null);
      }
      JsonNode root = readValue(parser, "", lines);
      if (parser.nextToken() != null) {
        throw new ReadException("more than one YAML document", lineOf(parser));
      }
      return new LocatedYaml(root, lines);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw new ReadException(
          "not valid YAML: " + firstLine(e.getOriginalMessage()),
          at == null || at.getLineNr() < 1 ? null : at.getLineNr());
    }
  }

  public JsonNode root() {
    return root;
  }

  /** The line of {@code path}, or of its nearest enclosing node; null when unknown. */
  public Integer line(String path) {
    String current = path;
    while (true) {
      Integer line = lines.get(current);
      if (line != null || current.isEmpty()) {
        return line;
      }
      current = parent(current);
    }
  }

  static String parent(String path) {
    int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
    return cut <= 0 ? "" : path.substring(0, cut);
  }

  private static JsonNode readValue(JsonParser parser, String path, Map<String, Integer> lines)
      throws IOException, ReadException {
    lines.putIfAbsent(path, lineOf(parser));
    JsonToken token = parser.currentToken();
    switch (token) {
      case START_OBJECT -> {
        ObjectNode object = NODES.objectNode();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String key = parser.currentName();
          String child = path.isEmpty() ? key : path + "." + key;
          if (object.has(key)) {
            throw new ReadException("duplicate key '" + key + "'", lineOf(parser));
          }
          lines.put(child, lineOf(parser));
          parser.nextToken();
          object.set(key, readValue(parser, child, lines));
        }
        return object;
      }
      case START_ARRAY -> {
        ArrayNode array = NODES.arrayNode();
        int index = 0;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          array.add(readValue(parser, path + "[" + index++ + "]", lines));
        }
        return array;
      }
      case VALUE_STRING -> {
        return NODES.textNode(parser.getText());
      }
      case VALUE_NUMBER_INT -> {
        return switch (parser.getNumberType()) {
          case INT -> NODES.numberNode(parser.getIntValue());
          case LONG -> NODES.numberNode(parser.getLongValue());
          default -> NODES.numberNode(parser.getBigIntegerValue());
        };
      }
      case VALUE_NUMBER_FLOAT -> {
        try {
          return NODES.numberNode(parser.getDecimalValue());
        } catch (NumberFormatException e) {
          throw new ReadException(
              "'" + parser.getText() + "' is not a finite number", lineOf(parser));
        }
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        // YAML 1.2: only true/false are booleans; yes/no/on/off stay the words they are.
        String text = parser.getText();
        return text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")
            ? NODES.booleanNode(token == JsonToken.VALUE_TRUE)
            : NODES.textNode(text);
      }
      case VALUE_NULL -> {
        return NODES.nullNode();
      }
      default -> throw new ReadException("unsupported YAML content " + token, lineOf(parser));
    }
  }

  private static Integer lineOf(JsonParser parser) {
    int line = parser.currentTokenLocation().getLineNr();
    return line < 1 ? null : line;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
