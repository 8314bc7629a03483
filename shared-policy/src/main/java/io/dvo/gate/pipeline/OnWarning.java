package io.dvo.gate.pipeline;

/** What the step does when the gate allows a run with warnings. */
public enum OnWarning {
  /** Log the warnings and go on (the default). */
  CONTINUE,
  /** Go on, but mark the build unstable with the warnings ({@code unstableOnWarning: true}). */
  UNSTABLE,
  /** Fail the step with the warnings ({@code failOnWarning: true}). */
  FAIL
}
