package io.dvo.gate.http;

import io.dvo.gate.approval.ApprovalError;
import io.dvo.gate.approval.ApprovalResult;

/** Maps an approval refusal to its HTTP status, with the ApprovalError name as {@code code}. */
public final class ApprovalProblems {
  private ApprovalProblems() {}

  public static int status(ApprovalError error) {
    return switch (error) {
      case NOT_FOUND -> 404;
      case NOT_AN_APPROVER, OWN_REQUEST, NOT_ALLOWED_TO_CANCEL -> 403;
      case REASON_REQUIRED -> 400;
      case NOT_PENDING, EXPIRED, ALREADY_VOTED, CONFLICT -> 409;
    };
  }

  public static ApiException refusal(ApprovalResult result) {
    ApprovalError error = result.error();
    String slug = error.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    String title =
        switch (error) {
          case NOT_FOUND -> "Approval not found";
          case NOT_AN_APPROVER -> "Not an approver";
          case OWN_REQUEST -> "Own request";
          case NOT_ALLOWED_TO_CANCEL -> "Not allowed to cancel";
          case REASON_REQUIRED -> "Reason required";
          case NOT_PENDING -> "Approval already decided";
          case EXPIRED -> "Approval expired";
          case ALREADY_VOTED -> "Already voted";
          case CONFLICT -> "Concurrent update";
        };
    String detail = result.message() == null ? title + "." : result.message();
    return new ApiException(status(error), slug, title, detail, null, error.name(), null);
  }
}
