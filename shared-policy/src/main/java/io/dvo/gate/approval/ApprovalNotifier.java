package io.dvo.gate.approval;

/**
 * Tells people about an approval (Teams). Implementations must not block or fail the gate: they
 * deliver asynchronously and report delivery state back through the approval service.
 */
public interface ApprovalNotifier {

  /** Kinds of notification. */
  enum Kind {
    REQUESTED,
    REMINDER,
    APPROVED,
    REJECTED,
    EXPIRED,
    CANCELLED
  }

  void notify(ApprovalRecord record, Kind kind);

  /** A notifier that tells nobody (no webhook configured). */
  ApprovalNotifier NONE = (record, kind) -> {};
}
