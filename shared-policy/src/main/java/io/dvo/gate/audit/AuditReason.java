package io.dvo.gate.audit;

/** One reason as the decision gave it: the rule (or built-in check) and its message. */
public record AuditReason(String ruleId, String message) {}
