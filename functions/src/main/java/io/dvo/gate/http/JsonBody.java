package io.dvo.gate.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.dvo.gate.api.ErrorCode;
import io.dvo.gate.api.FieldError;
import io.dvo.gate.input.JsonShape;
import io.dvo.gate.json.Json;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads JSON request bodies strictly: malformed input is answered with the line and column of the
 * problem, duplicate keys, trailing content and unpaired surrogates (text that is not Unicode) are
 * refused, numbers a 64-bit float cannot hold (1e400 would become infinity, 1e-400 zero) are
 * refused, and typed bodies name unknown fields and wrong types. Values are never coerced (see
 * {@link Json}). Jackson's own messages name Java types, so none of them is passed on: every
 * message here is written in terms of JSON.
 */
public final class JsonBody {
  private static final ObjectReader TREE_READER =
      Json.mapper()
          .reader()
          .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          // Decimals are read exactly so that an out-of-range one can be told from a real one.
          .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  /**
   * A parser location inside a message, e.g. {@code [Source: REDACTED (...); line: 1, column: 2]}.
   */
  private static final Pattern SOURCE_LOCATION =
      Pattern.compile("\\[Source: .*?; line: (\\d+), column: (\\d+)]");

  /** Where a limit comes from, e.g. {@code , from `StreamReadConstraints.getMaxNestingDepth()`}. */
  private static final Pattern LIMIT_ORIGIN = Pattern.compile(",? from `[^`]*`");

  /** What must never reach a caller: Java packages, exception names, quoted Java types. */
  private static final Pattern INTERNALS =
      Pattern.compile("`|java\\.|com\\.fasterxml|io\\.dvo|Exception|\\bclass\\b");

  private JsonBody() {}

  /** The body as a JSON tree; 400 with the parse position when it is not JSON. */
  public static JsonNode parse(byte[] body) {
    if (body.length == 0) {
      throw ApiException.badRequest("A JSON request body is required.");
    }
    JsonNode node;
    try {
      node = TREE_READER.readTree(body);
    } catch (MismatchedInputException e) {
      // The only mapping failure of a tree read: more after the first value.
      throw malformed(e, "unexpected content after the JSON value");
    } catch (JsonProcessingException e) {
      throw malformed(e, reason(e));
    } catch (IOException e) {
      throw ApiException.badRequest("The request body could not be read.");
    }
    if (node == null || node.isMissingNode()) {
      throw ApiException.badRequest("A JSON request body is required.");
    }
    requireRepresentable(node);
    return node;
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
          List.of(new FieldError("$", "expected an object, got " + JsonShape.kind(node))));
    }
    try {
      return Json.mapper().treeToValue(node, type);
    } catch (UnrecognizedPropertyException e) {
      List<String> known = new ArrayList<>();
      if (e.getKnownPropertyIds() != null) {
        e.getKnownPropertyIds().forEach(id -> known.add(String.valueOf(id)));
      }
      String path = path(e);
      String message =
          JsonShape.unknownField(e.getPropertyName(), known.stream().sorted().toList());
      throw ApiException.invalid(
          "Invalid value at " + path + ": " + message + ".",
          List.of(new FieldError(path, message)));
    } catch (MismatchedInputException e) {
      // Wrong JSON type, a coercion refused, null where a value is needed.
      String path = path(e);
      JsonNode found = at(node, e);
      String message =
          "expected "
              + expected(e.getTargetType())
              + (found == null ? "" : ", got " + JsonShape.kind(found));
      throw ApiException.invalid(
          "Invalid value at " + path + ": " + message + ".",
          List.of(new FieldError(path, message)));
    } catch (ValueInstantiationException e) {
      // Body records validate in their constructors with IllegalArgumentException.
      String path = path(e);
      String message =
          e.getCause() instanceof IllegalArgumentException cause && safe(cause.getMessage())
              ? cause.getMessage()
              : "invalid value";
      throw ApiException.invalid(
          "Invalid value at " + path + ": " + message + ".",
          List.of(new FieldError(path, message)));
    } catch (JsonMappingException e) {
      String path = path(e);
      String message =
          e.getCause() instanceof InputCoercionException range
              ? "expected " + expected(range.getTargetType()) + ", got a number out of its range"
              : "invalid value";
      throw ApiException.invalid(
          "Invalid value at " + path + ": " + message + ".",
          List.of(new FieldError(path, message)));
    } catch (JsonProcessingException e) {
      throw malformed(e, reason(e));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("The request body does not have the expected shape.");
    }
  }

  private static ApiException malformed(JsonProcessingException e, String reason) {
    JsonLocation at = e.getLocation();
    String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    return new ApiException(
        ErrorCode.MALFORMED_JSON,
        "The request body is not valid JSON" + where + ": " + reason,
        at == null
            ? List.of()
            : List.of(
                new FieldError("line " + at.getLineNr() + ", column " + at.getColumnNr(), reason)),
        null);
  }

  /**
   * Jackson's reason for a parse failure, in JSON terms: locations as line and column, limits
   * without the Java method they come from; anything that still names internals is replaced.
   */
  private static String reason(JsonProcessingException e) {
    String reason = firstLine(e.getOriginalMessage());
    reason = SOURCE_LOCATION.matcher(reason).replaceAll("line $1, column $2");
    reason = LIMIT_ORIGIN.matcher(reason).replaceAll("");
    return safe(reason) ? reason : "not valid JSON";
  }

  private static boolean safe(String message) {
    return message != null && !message.isBlank() && !INTERNALS.matcher(message).find();
  }

  /**
   * Refuses text that is not Unicode and numbers outside a 64-bit float. A lone surrogate, escaped
   * in the JSON, parses, but Java encodes it as '?' in UTF-8, so what a store keeps would differ
   * from what was sent (two different idempotency keys could become one). A decimal beyond the
   * float range would be decided as infinity or zero: a different value from the one sent.
   */
  private static void requireRepresentable(JsonNode root) {
    Deque<JsonNode> pending = new ArrayDeque<>();
    pending.push(root);
    while (!pending.isEmpty()) {
      JsonNode node = pending.pop();
      if (node.isTextual() && !isUnicode(node.textValue())) {
        throw ApiException.invalid(
            "The request body holds text that is not valid Unicode (an unpaired surrogate).",
            List.of(new FieldError(pathTo(root, node), "not valid Unicode (unpaired surrogate)")));
      }
      if (node.isFloatingPointNumber() && !fitsADouble(node.decimalValue())) {
        String path = pathTo(root, node);
        String message = "number out of range (a decimal must fit a 64-bit float)";
        throw ApiException.invalid(
            "Invalid value at " + path + ": " + message + ".",
            List.of(new FieldError(path, message)));
      }
      if (node.isObject()) {
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
          Map.Entry<String, JsonNode> field = fields.next();
          if (!isUnicode(field.getKey())) {
            throw ApiException.invalid(
                "The request body holds a field name that is not valid Unicode (an unpaired"
                    + " surrogate).",
                List.of(new FieldError(pathTo(root, node), "field name not valid Unicode")));
          }
          pending.push(field.getValue());
        }
      } else if (node.isArray()) {
        node.forEach(pending::push);
      }
    }
  }

  /** Whether a double holds {@code decimal} without overflowing or underflowing to zero. */
  private static boolean fitsADouble(BigDecimal decimal) {
    double d = decimal.doubleValue();
    return Double.isFinite(d) && (d != 0 || decimal.signum() == 0);
  }

  private static boolean isUnicode(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  /** The JSON path of {@code target} inside {@code root} (found by identity, breadth first). */
  private static String pathTo(JsonNode root, JsonNode target) {
    Deque<Map.Entry<JsonNode, String>> pending = new ArrayDeque<>();
    pending.add(Map.entry(root, "$"));
    while (!pending.isEmpty()) {
      Map.Entry<JsonNode, String> entry = pending.poll();
      JsonNode node = entry.getKey();
      if (node == target) {
        return entry.getValue();
      }
      if (node.isObject()) {
        node.fields()
            .forEachRemaining(
                f ->
                    pending.add(
                        Map.entry(f.getValue(), entry.getValue() + JsonShape.member(f.getKey()))));
      } else if (node.isArray()) {
        for (int i = 0; i < node.size(); i++) {
          pending.add(Map.entry(node.get(i), entry.getValue() + "[" + i + "]"));
        }
      }
    }
    return "$";
  }

  /** A JSON path such as {@code $.plan.steps[0].risk_tier} for a mapping problem. */
  static String path(JsonMappingException e) {
    StringBuilder path = new StringBuilder("$");
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        path.append(JsonShape.member(ref.getFieldName()));
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  /** The value a mapping problem is about, or null when its path leads nowhere. */
  private static JsonNode at(JsonNode root, JsonMappingException e) {
    JsonNode node = root;
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (node == null) {
        return null;
      }
      node = ref.getFieldName() != null ? node.get(ref.getFieldName()) : node.get(ref.getIndex());
    }
    return node;
  }

  /** What a Java target type is, in JSON terms. */
  private static String expected(Class<?> type) {
    if (type == null) {
      return "a value of another type";
    }
    if (type == Long.class
        || type == long.class
        || type == Integer.class
        || type == int.class
        || type == Short.class
        || type == short.class
        || type == java.math.BigInteger.class) {
      return "a whole number";
    }
    if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
      return "a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (CharSequence.class.isAssignableFrom(type)
        || type == Character.class
        || type == char.class) {
      return "a string";
    }
    if (java.time.temporal.Temporal.class.isAssignableFrom(type)) {
      return "a date and time (ISO-8601 string)";
    }
    if (type.isEnum()) {
      return "a string";
    }
    if (type.isArray() || java.util.Collection.class.isAssignableFrom(type)) {
      return "an array";
    }
    return "an object";
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
