package io.dvo.gate.opa;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The OPA decision the gate asks for, as a Data API path such as {@code dvo/gate} (the document
 * {@code data.dvo.gate}). Only Rego identifiers separated by {@code /} are accepted: the path
 * becomes part of OPA's query, so nothing else may reach it.
 */
public record DecisionPath(String value) {
  private static final Pattern SEGMENTS =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}(/[A-Za-z_][A-Za-z0-9_]{0,63}){0,15}");

  /** The decision asked for when none is configured. */
  public static final DecisionPath DEFAULT = new DecisionPath("dvo/gate");

  public DecisionPath {
    Objects.requireNonNull(value, "value");
    if (!SEGMENTS.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "an OPA decision is a path of Rego identifiers separated by '/', e.g. dvo/gate (not "
              + value
              + ")");
    }
  }

  /** The rule id and source of everything this decision contributes: {@code opa:dvo/gate}. */
  public String ruleId() {
    return "opa:" + value;
  }

  @Override
  public String toString() {
    return value;
  }
}
