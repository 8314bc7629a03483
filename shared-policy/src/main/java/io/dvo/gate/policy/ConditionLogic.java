package io.dvo.gate.policy;

/** How a rule combines its conditions. A rule without conditions matches whenever in scope. */
public enum ConditionLogic {
  AND,
  OR
}
