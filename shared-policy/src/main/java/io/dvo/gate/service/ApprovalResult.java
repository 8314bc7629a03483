package io.dvo.gate.service;

import io.dvo.gate.approval.ApprovalError;
import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.store.Versioned;

/**
 * The outcome of an approval operation: the approval as it now stands, or a refusal with a code and
 * a message for people. A refusal may still carry the current approval (e.g. NOT_PENDING).
 */
public record ApprovalResult(
    Versioned<ApprovalRecord> approval, ApprovalError error, String message) {

  public static ApprovalResult ok(Versioned<ApprovalRecord> approval) {
    return new ApprovalResult(approval, null, null);
  }

  public static ApprovalResult refused(
      ApprovalError error, String message, Versioned<ApprovalRecord> current) {
    return new ApprovalResult(current, error, message);
  }

  public boolean isOk() {
    return error == null;
  }
}
