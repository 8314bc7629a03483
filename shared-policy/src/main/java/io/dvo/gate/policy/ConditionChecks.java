package io.dvo.gate.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Load-time checks of one condition's value: the operator's operand type, regex syntax, and, for
 * built-in fields whose type is known, comparisons that could never apply. Problems go to {@code
 * problem} as (path, message).
 */
final class ConditionChecks {
  private static final Set<String> RISK_TIERS = Set.of("passive", "active", "intrusive");

  private ConditionChecks() {}

  static void checkValue(
      Operator operator, JsonNode value, String path, BiConsumer<String, String> problem) {
    String op = operator.wireName();
    if (!operator.takesValue()) {
      if (value != null) {
        problem.accept(path, op + " takes no value");
      }
      return;
    }
    if (value == null || value.isNull()) {
      problem.accept(path, op + " needs a value");
      return;
    }
    switch (operator) {
      case EQUALS, NOT_EQUALS, CONTAINS -> {
        if (!isScalar(value)) {
          problem.accept(path, op + " needs a string, number or boolean, got " + describe(value));
        }
      }
      case IN, NOT_IN -> {
        if (!value.isArray()) {
          problem.accept(path, op + " needs a list, got " + describe(value));
        } else if (value.isEmpty()) {
          problem.accept(path, op + " needs a non-empty list");
        } else {
          for (int i = 0; i < value.size(); i++) {
            if (!isScalar(value.get(i))) {
              problem.accept(
                  path + "[" + i + "]",
                  "list items must be strings, numbers or booleans, got " + describe(value.get(i)));
            }
          }
        }
      }
      case MATCHES -> {
        if (!value.isTextual()) {
          problem.accept(path, "matches needs a regular expression string, got " + describe(value));
        } else {
          checkPattern(value.textValue(), path, problem);
        }
      }
      case GREATER_THAN, LESS_THAN -> {
        if (!value.isNumber()) {
          problem.accept(path, op + " needs a number, got " + describe(value));
        }
      }
      default -> {}
    }
  }

  /**
   * Bounds a pattern before RE2 sees it (see {@link RegexShape}): RE2's compiler and matcher
   * recurse on nesting and program length, so an unbounded pattern would overflow the stack of
   * every decision of its tenant. Only a pattern within the bounds is compiled here.
   */
  private static void checkPattern(
      String pattern, String path, BiConsumer<String, String> problem) {
    RegexShape shape = RegexShape.of(pattern);
    if (shape.nesting() > RegexShape.MAX_NESTING) {
      problem.accept(
          path,
          "the pattern has groups nested "
              + shape.nesting()
              + " deep (at most "
              + RegexShape.MAX_NESTING
              + ")");
      return;
    }
    if (shape.programSize() > RegexShape.MAX_PROGRAM_SIZE) {
      problem.accept(
          path,
          "the pattern is too large: about "
              + (shape.programSize() >= 1_000_000_000L ? "a billion or more" : shape.programSize())
              + " instructions once compiled (at most "
              + RegexShape.MAX_PROGRAM_SIZE
              + "; counted repetitions such as {100} multiply what they repeat)");
      return;
    }
    try {
      Pattern.compile(pattern);
    } catch (PatternSyntaxException e) {
      String part = e.getPattern();
      problem.accept(
          path,
          "invalid regular expression (RE2 syntax): "
              + e.getDescription()
              + (part == null || part.isEmpty() ? "" : " '" + part + "'"));
    }
  }

  /**
   * Fields that only ever hold lower case ({@code environment}, {@code agent_id}) refuse operands
   * with upper case, for every operator that compares text: equals, not_equals, in, not_in and
   * contains compare exactly, and a pattern's literal upper-case letters can never match (unless it
   * turns on {@code (?i)}). Letters in classes ({@code [A-Za-z]}) and escapes ({@code \D}) are not
   * literals and stay allowed.
   */
  static void checkCase(
      FieldRef field,
      Operator operator,
      JsonNode value,
      String path,
      BiConsumer<String, String> problem) {
    String why = field.lowerCaseReason();
    if (why == null || value == null || !operator.takesValue()) {
      return;
    }
    if (operator == Operator.MATCHES) {
      if (!value.isTextual()) {
        return;
      }
      RegexShape shape = RegexShape.of(value.textValue());
      if (shape.caseInsensitive() || shape.upperCaseLiterals().isEmpty()) {
        return;
      }
      List<String> letters =
          shape.upperCaseLiterals().chars().distinct().mapToObj(c -> "'" + (char) c + "'").toList();
      problem.accept(
          path,
          why
              + ": the upper-case letter"
              + (letters.size() == 1 ? " " : "s ")
              + String.join(", ", letters)
              + " in the pattern can never match; use '"
              + shape.withLowerCaseLiterals()
              + "' (or (?i) to match any case)");
      return;
    }
    if (value.isTextual()) {
      requireLowerCase(value.textValue(), path, why, problem);
    }
    for (int i = 0; value.isArray() && i < value.size(); i++) {
      if (value.get(i).isTextual()) {
        requireLowerCase(value.get(i).textValue(), path + "[" + i + "]", why, problem);
      }
    }
  }

  private static void requireLowerCase(
      String text, String path, String why, BiConsumer<String, String> problem) {
    String lower = text.toLowerCase(java.util.Locale.ROOT);
    if (!text.equals(lower)) {
      problem.accept(path, "must be lower case (" + why + "), use '" + lower + "'");
    }
  }

  /** For built-in fields the type is known: reject comparisons that could never apply. */
  static void checkFieldFits(
      FieldRef field,
      Operator operator,
      JsonNode value,
      String path,
      BiConsumer<String, String> problem) {
    if (field.type == FieldType.ANY || !operator.takesValue()) {
      return;
    }
    String op = operator.wireName();
    String name = field.path;
    switch (field.type) {
      case STRING_LIST -> {
        if (operator != Operator.CONTAINS) {
          problem.accept(
              path, name + " is a list: use contains, exists or not_exists (not " + op + ")");
        } else if (!value.isTextual()) {
          problem.accept(path, name + " holds strings: contains needs a string");
        }
      }
      case STRING -> {
        switch (operator) {
          case GREATER_THAN, LESS_THAN ->
              problem.accept(path, name + " is a string: " + op + " needs a number field");
          case EQUALS, NOT_EQUALS, CONTAINS -> {
            if (!value.isTextual()) {
              problem.accept(
                  path, name + " is a string: the value must be a string, got " + describe(value));
            }
          }
          case IN, NOT_IN -> {
            for (JsonNode item : value) {
              if (!item.isTextual()) {
                problem.accept(
                    path, name + " is a string: list items must be strings, got " + describe(item));
                break;
              }
            }
          }
          default -> {}
        }
        if (name.equals("plan.max_risk_tier")) {
          for (JsonNode item : value.isArray() ? value : List.of(value)) {
            if (item.isTextual()
                && operator != Operator.MATCHES
                && !RISK_TIERS.contains(item.textValue())) {
              problem.accept(
                  path, "plan.max_risk_tier is one of passive, active, intrusive; got " + item);
            }
          }
        }
      }
      case NUMBER -> {
        switch (operator) {
          case MATCHES, CONTAINS ->
              problem.accept(path, name + " is a number: " + op + " needs a string or list field");
          case EQUALS, NOT_EQUALS -> {
            if (!value.isNumber()) {
              problem.accept(
                  path, name + " is a number: the value must be a number, got " + describe(value));
            }
          }
          case IN, NOT_IN -> {
            for (JsonNode item : value) {
              if (!item.isNumber()) {
                problem.accept(
                    path, name + " is a number: list items must be numbers, got " + describe(item));
                break;
              }
            }
          }
          default -> {}
        }
      }
      case BOOLEAN -> {
        switch (operator) {
          case EQUALS, NOT_EQUALS -> {
            if (!value.isBoolean()) {
              problem.accept(
                  path,
                  name + " is true or false: the value must be a boolean, got " + describe(value));
            }
          }
          case IN, NOT_IN -> {
            for (JsonNode item : value) {
              if (!item.isBoolean()) {
                problem.accept(
                    path,
                    name + " is true or false: list items must be booleans, got " + describe(item));
                break;
              }
            }
          }
          default ->
              problem.accept(
                  path, name + " is true or false: use equals, not_equals, in or not_in");
        }
      }
      default -> {}
    }
  }

  static boolean isScalar(JsonNode value) {
    return value.isTextual() || value.isNumber() || value.isBoolean();
  }

  static String describe(JsonNode value) {
    if (value.isArray()) {
      return "a list";
    }
    if (value.isObject()) {
      return "an object";
    }
    if (value.isTextual()) {
      return "the string \"" + value.textValue() + "\"";
    }
    return value.isNull() ? "null" : value.toString();
  }
}
