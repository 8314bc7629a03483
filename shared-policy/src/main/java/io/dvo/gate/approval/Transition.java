package io.dvo.gate.approval;

import java.util.Objects;

/**
 * What the state machine decided for one operation on one record.
 *
 * @param record the record as it should now stand (the input itself when nothing changed)
 * @param changed whether {@code record} must be written back
 * @param refusal why the operation was refused, or null; a refusal may still carry a change (an
 *     expired request is written as EXPIRED, and the decision on it is refused)
 * @param message for people, set with a refusal
 * @param notification what to tell people once the write succeeded, or null
 */
public record Transition(
    ApprovalRecord record,
    boolean changed,
    ApprovalError refusal,
    String message,
    ApprovalNotifier.Kind notification) {

  public Transition {
    Objects.requireNonNull(record, "record");
    if (refusal != null) {
      Objects.requireNonNull(message, "a refusal needs a message");
    }
  }

  static Transition unchanged(ApprovalRecord record) {
    return new Transition(record, false, null, null, null);
  }

  static Transition changed(ApprovalRecord next, ApprovalNotifier.Kind notification) {
    return new Transition(next, true, null, null, notification);
  }

  static Transition refused(ApprovalRecord record, ApprovalError error, String message) {
    return new Transition(record, false, error, message, null);
  }

  public boolean isRefused() {
    return refusal != null;
  }
}
