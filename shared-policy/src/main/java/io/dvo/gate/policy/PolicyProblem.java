package io.dvo.gate.policy;

import java.util.Objects;

/**
 * One thing wrong with a policy file or rule, precise enough to fix without guessing.
 *
 * @param origin file (relative to the pack) or another label such as {@code api}
 * @param line 1-based line in the file, or null when unknown
 * @param ruleId the rule's id, or null when the problem is not inside a rule (or it has none)
 * @param path where inside the rule or file, e.g. {@code conditions[1].operator}; may be empty
 */
public record PolicyProblem(
    String origin, Integer line, String ruleId, String path, String message) {
  public PolicyProblem {
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(message, "message");
    path = path == null ? "" : path;
  }

  /** {@code file:line: rule <id>: path: message}, leaving out what is unknown. */
  public String describe() {
    StringBuilder out = new StringBuilder(origin);
    if (line != null) {
      out.append(':').append(line);
    }
    out.append(": ");
    if (ruleId != null) {
      out.append("rule ").append(ruleId).append(": ");
    }
    if (!path.isEmpty()) {
      out.append(path).append(": ");
    }
    return out.append(message).toString();
  }
}
