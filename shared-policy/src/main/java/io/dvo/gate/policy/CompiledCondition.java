package io.dvo.gate.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.re2j.Pattern;
import io.dvo.gate.api.ConditionTrace;
import io.dvo.gate.json.Json;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A condition ready to evaluate: field path resolved, operand converted, regex compiled. The type
 * rules (docs/policies.md) live here: an impossible comparison (missing field, other type, not a
 * finite number) is "no match" for the positive operators, and the negative operators are their
 * exact negation, so {@code not_equals} on a missing field is true. Nothing here throws.
 */
final class CompiledCondition {
  private final Condition source;
  private final FieldRef field;
  private final Operator operator;
  private final Object scalar; // String | Boolean | Num (equals, not_equals, contains)
  private final Num bound; // greater_than, less_than
  private final Pattern pattern; // matches
  private final Set<String> strings; // in, not_in
  private final Num[] numbers; // in, not_in
  private final boolean inTrue;
  private final boolean inFalse;

  CompiledCondition(Condition source) {
    this.source = source;
    this.field =
        FieldRef.parse(source.field())
            .orElseThrow(() -> new IllegalArgumentException("unknown field " + source.field()));
    this.operator = source.operator();
    JsonNode value = source.value();
    Object scalarValue = null;
    Num boundValue = null;
    Pattern compiled = null;
    Set<String> stringSet = null;
    List<Num> numberList = null;
    boolean hasTrue = false;
    boolean hasFalse = false;
    switch (operator) {
      case EQUALS, NOT_EQUALS, CONTAINS -> scalarValue = scalarOf(value);
      case GREATER_THAN, LESS_THAN -> {
        if (!value.isNumber()) {
          throw new IllegalArgumentException(operator.wireName() + " needs a number");
        }
        boundValue = Num.of(value);
      }
      case MATCHES -> compiled = Pattern.compile(value.asText());
      case IN, NOT_IN -> {
        if (!value.isArray()) {
          throw new IllegalArgumentException(operator.wireName() + " needs a list");
        }
        stringSet = new HashSet<>();
        numberList = new ArrayList<>();
        for (JsonNode element : value) {
          Object item = scalarOf(element);
          if (item instanceof String s) {
            stringSet.add(s);
          } else if (item instanceof Num n) {
            numberList.add(n);
          } else if (Boolean.TRUE.equals(item)) {
            hasTrue = true;
          } else {
            hasFalse = true;
          }
        }
      }
      case EXISTS, NOT_EXISTS -> {}
    }
    this.scalar = scalarValue;
    this.bound = boundValue;
    this.pattern = compiled;
    this.strings = stringSet;
    this.numbers = numberList == null ? null : numberList.toArray(new Num[0]);
    this.inTrue = hasTrue;
    this.inFalse = hasFalse;
  }

  private static Object scalarOf(JsonNode value) {
    if (value.isTextual()) {
      return value.textValue();
    }
    if (value.isBoolean()) {
      return value.booleanValue();
    }
    if (value.isNumber()) {
      return Num.of(value);
    }
    throw new IllegalArgumentException("expected a string, number or boolean, got " + value);
  }

  FieldRef field() {
    return field;
  }

  /**
   * The strings this condition accepts when it can hold only for them, or null. An {@code equals}
   * with a string operand, or an {@code in} whose list holds only strings, is true exactly when the
   * field's value is a {@link String} in this set (a number, boolean, list or missing value is "no
   * match" under the type rules), so the engine may look rules up by the field's value instead of
   * testing each one.
   */
  Set<String> indexKeys() {
    if (operator == Operator.EQUALS && scalar instanceof String s) {
      return Set.of(s);
    }
    if (operator == Operator.IN && numbers.length == 0 && !inTrue && !inFalse) {
      return strings;
    }
    return null;
  }

  boolean test(EvaluationContext context) {
    return test(field.resolve(context));
  }

  private boolean test(Object actual) {
    return switch (operator) {
      case EQUALS -> same(actual, scalar);
      case NOT_EQUALS -> !same(actual, scalar);
      case IN -> inList(actual);
      case NOT_IN -> !inList(actual);
      case MATCHES -> actual instanceof String s && pattern.matcher(s).matches();
      case GREATER_THAN -> actual instanceof Number n && compare(n) > 0;
      case LESS_THAN -> actual instanceof Number n && lessThan(n);
      case CONTAINS -> contains(actual);
      case EXISTS -> actual != null;
      case NOT_EXISTS -> actual == null;
    };
  }

  private int compare(Number actual) {
    return bound.compareFrom(actual);
  }

  private boolean lessThan(Number actual) {
    int sign = compare(actual);
    return sign != Num.INCOMPARABLE && sign < 0;
  }

  /** Equality under the type rules: same kind, and numbers compared by value. */
  private static boolean same(Object actual, Object expected) {
    if (expected instanceof String s) {
      return s.equals(actual);
    }
    if (expected instanceof Boolean b) {
      return b.equals(actual);
    }
    return actual instanceof Number n && ((Num) expected).compareFrom(n) == 0;
  }

  private boolean inList(Object actual) {
    if (actual instanceof String s) {
      return strings.contains(s);
    }
    if (actual instanceof Boolean b) {
      return b ? inTrue : inFalse;
    }
    if (actual instanceof Number n) {
      for (Num candidate : numbers) {
        if (candidate.compareFrom(n) == 0) {
          return true;
        }
      }
    }
    return false;
  }

  private boolean contains(Object actual) {
    if (actual instanceof String s) {
      return scalar instanceof String part && s.contains(part);
    }
    if (actual instanceof List<?> list) {
      for (Object element : list) {
        if (same(element, scalar)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The same decision as {@link #test}, with what was seen and why. Only for explain. */
  ConditionTrace explain(EvaluationContext context) {
    Object actual = field.resolve(context);
    boolean result = test(actual);
    JsonNode actualJson = actual == null ? null : Json.mapper().valueToTree(actual);
    return new ConditionTrace(
        source.field(), operator.wireName(), source.value(), actualJson, result, note(actual));
  }

  private String note(Object actual) {
    String negated =
        switch (operator) {
          case NOT_EQUALS -> "; counts as not equal";
          case NOT_IN -> "; counts as not in the list";
          default -> "; no match";
        };
    if (actual == null) {
      return operator == Operator.EXISTS || operator == Operator.NOT_EXISTS
          ? "field is missing"
          : "field is missing" + negated;
    }
    String kind = kindOf(actual);
    switch (operator) {
      case EQUALS, NOT_EQUALS -> {
        String want = kindOf(scalar);
        if (!kind.equals(want)) {
          return "field is a " + kind + ", value is a " + want + negated;
        }
        return notFinite(actual) ? "field is not a finite number" + negated : null;
      }
      case IN, NOT_IN -> {
        if (!kind.equals("string") && !kind.equals("number") && !kind.equals("boolean")) {
          return "field is a " + kind + "; in/not_in compare single values" + negated;
        }
        return notFinite(actual) ? "field is not a finite number" + negated : null;
      }
      case MATCHES -> {
        return kind.equals("string")
            ? null
            : "field is a " + kind + "; matches needs a string" + negated;
      }
      case GREATER_THAN, LESS_THAN -> {
        if (!kind.equals("number")) {
          return "field is a " + kind + "; " + operator.wireName() + " needs a number" + negated;
        }
        return notFinite(actual) ? "field is not a finite number" + negated : null;
      }
      case CONTAINS -> {
        if (kind.equals("list")) {
          return null;
        }
        if (kind.equals("string")) {
          return scalar instanceof String
              ? null
              : "field is a string, value is a " + kindOf(scalar) + negated;
        }
        return "field is a " + kind + "; contains needs a string or a list" + negated;
      }
      default -> {
        return null;
      }
    }
  }

  private static boolean notFinite(Object actual) {
    return (actual instanceof Double d && !Double.isFinite(d))
        || (actual instanceof Float f && !Float.isFinite(f));
  }

  private static String kindOf(Object value) {
    if (value instanceof String) {
      return "string";
    }
    if (value instanceof Boolean) {
      return "boolean";
    }
    if (value instanceof Number || value instanceof Num) {
      return "number";
    }
    if (value instanceof List<?>) {
      return "list";
    }
    if (value instanceof Map<?, ?>) {
      return "object";
    }
    return value.getClass().getSimpleName();
  }
}
