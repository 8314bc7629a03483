package io.dvo.gate.pipeline;

import java.util.List;

/**
 * One gate call as the build page shows it: where it stands, the decision and its reasons, who
 * approved, and the review link. {@code reviewLink} is set only when {@link ReviewLinks} accepted
 * the address; otherwise the address is shown as text ({@code reviewAddress}).
 *
 * @param key the call's idempotency key (one per step call of one build)
 * @param state where the call stands, for people: "Waiting for approval", "Allowed", ...
 * @param decision the gate's last decision (allow, warn, deny, pending_approval), or null
 */
public record GateCallSummary(
    String key,
    String service,
    String environment,
    String tenant,
    String state,
    String decision,
    String approvalId,
    List<String> reasons,
    List<String> warnings,
    List<String> approvers,
    String reviewLink,
    String reviewAddress) {
  public GateCallSummary {
    reasons = reasons == null ? List.of() : List.copyOf(reasons);
    warnings = warnings == null ? List.of() : List.copyOf(warnings);
    approvers = approvers == null ? List.of() : List.copyOf(approvers);
  }
}
