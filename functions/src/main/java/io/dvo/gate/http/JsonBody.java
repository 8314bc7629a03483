package io.dvo.gate.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.dvo.gate.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads JSON request bodies strictly: malformed input is answered with the line and column of the
 * problem, duplicate keys and trailing content are refused, and typed bodies name unknown fields.
 */
public final class JsonBody {
  private static final ObjectReader TREE_READER =
      Json.mapper()
          .reader()
          .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private JsonBody() {}

  /** The body as a JSON tree; 400 with the parse position when it is not JSON. */
  public static JsonNode parse(byte[] body) {
    if (body.length == 0) {
      throw ApiException.badRequest("A JSON request body is required.");
    }
    try {
      JsonNode node = TREE_READER.readTree(body);
      if (node == null || node.isMissingNode()) {
        throw ApiException.badRequest("A JSON request body is required.");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw malformed(e);
    } catch (IOException e) {
      throw ApiException.badRequest("The request body could not be read.");
    }
  }

  /** The body as an object of {@code type}; an empty body reads as {@code {}}. */
  public static <T> T read(byte[] body, Class<T> type) {
    JsonNode node = body.length == 0 ? Json.mapper().createObjectNode() : parse(body);
    return convert(node, type);
  }

  /** Converts a parsed tree, answering 400 with the JSON path of each problem. */
  public static <T> T convert(JsonNode node, Class<T> type) {
    if (!node.isObject()) {
      throw ApiException.invalid(
          "The request body must be a JSON object.",
          List.of(new FieldError("$", "expected an object, found " + kind(node))));
    }
    try {
      return Json.mapper().treeToValue(node, type);
    } catch (UnrecognizedPropertyException e) {
      List<String> known = new ArrayList<>();
      if (e.getKnownPropertyIds() != null) {
        e.getKnownPropertyIds().forEach(id -> known.add(String.valueOf(id)));
      }
      String path = path(e);
      throw ApiException.invalid(
          "Unknown field '"
              + e.getPropertyName()
              + "' at "
              + path
              + "; allowed fields: "
              + String.join(", ", known.stream().sorted().toList())
              + ".",
          List.of(new FieldError(path, "unknown field")));
    } catch (ValueInstantiationException e) {
      String message = e.getCause() != null ? e.getCause().getMessage() : e.getOriginalMessage();
      throw ApiException.invalid(
          "Invalid value: " + message, List.of(new FieldError(path(e), message)));
    } catch (InvalidFormatException e) {
      String path = path(e);
      String message =
          "cannot read " + describe(e.getValue()) + " as " + e.getTargetType().getSimpleName();
      throw ApiException.invalid(
          "Invalid value at " + path + ": " + message, List.of(new FieldError(path, message)));
    } catch (JsonMappingException e) {
      String path = path(e);
      String message = firstLine(e.getOriginalMessage());
      throw ApiException.invalid(
          "Invalid value at " + path + ": " + message, List.of(new FieldError(path, message)));
    } catch (JsonProcessingException e) {
      throw malformed(e);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("Invalid value: " + e.getMessage());
    }
  }

  private static ApiException malformed(JsonProcessingException e) {
    JsonLocation at = e.getLocation();
    String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    String reason = firstLine(e.getOriginalMessage());
    return new ApiException(
        400,
        "malformed-json",
        "Malformed JSON",
        "The request body is not valid JSON" + where + ": " + reason,
        at == null
            ? List.of()
            : List.of(
                new FieldError("line " + at.getLineNr() + ", column " + at.getColumnNr(), reason)),
        null,
        null);
  }

  /** A JSON path such as {@code $.plan.steps[0].risk_tier} for a mapping problem. */
  static String path(JsonMappingException e) {
    StringBuilder path = new StringBuilder("$");
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        path.append('.').append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  private static String kind(JsonNode node) {
    return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }

  private static String describe(Object value) {
    if (value instanceof String s) {
      return "\"" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "\"";
    }
    return String.valueOf(value);
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable input";
    }
    int newline = message.indexOf('\n');
    String line = newline < 0 ? message : message.substring(0, newline);
    return line.length() > 300 ? line.substring(0, 300) + "..." : line;
  }
}
