package io.dvo.gate.policy;

/**
 * Decides one evaluation context against a compiled set of rules. Implementations are immutable and
 * thread-safe, and never throw for anything the context holds: impossible comparisons are "no
 * match", recorded in the trace.
 */
public interface PolicyEngine {

  /**
   * @param explain build the per-rule trace (costs time; off on the hot path)
   */
  PolicyDecision evaluate(EvaluationContext context, boolean explain);
}
