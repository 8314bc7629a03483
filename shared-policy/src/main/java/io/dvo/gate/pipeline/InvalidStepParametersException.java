package io.dvo.gate.pipeline;

import java.util.List;

/** The step's parameters cannot make a gate request; {@link #problems()} lists every reason. */
public class InvalidStepParametersException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  public InvalidStepParametersException(List<String> problems) {
    super(
        "Invalid dvoPolicyGate parameters:"
            + problems.stream().map(p -> "\n  - " + p).reduce("", String::concat));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
