package io.dvo.gate.policy.testing;

import java.util.List;

/** One test case's outcome; {@code failures} says what differed. */
public record CaseResult(String file, String name, List<String> failures) {
  public CaseResult {
    failures = List.copyOf(failures);
  }

  public boolean passed() {
    return failures.isEmpty();
  }

  /** {@code PASS file: name} or {@code FAIL file: name: what differed; ...}. */
  public String describe() {
    return passed()
        ? "PASS " + file + ": " + name
        : "FAIL " + file + ": " + name + ": " + String.join("; ", failures);
  }
}
