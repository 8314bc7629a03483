package io.dvo.gate.http;

import io.dvo.gate.api.ErrorCode;
import io.dvo.gate.approval.ApprovalError;
import io.dvo.gate.service.ApprovalResult;

/** Maps an approval refusal to its {@link ErrorCode} (the ApprovalError name on the wire). */
public final class ApprovalProblems {
  private ApprovalProblems() {}

  public static ErrorCode code(ApprovalError error) {
    return switch (error) {
      case NOT_FOUND -> ErrorCode.APPROVAL_NOT_FOUND;
      case NOT_AN_APPROVER -> ErrorCode.NOT_AN_APPROVER;
      case OWN_REQUEST -> ErrorCode.OWN_REQUEST;
      case NOT_ALLOWED_TO_CANCEL -> ErrorCode.NOT_ALLOWED_TO_CANCEL;
      case REASON_REQUIRED -> ErrorCode.REASON_REQUIRED;
      case NOT_PENDING -> ErrorCode.NOT_PENDING;
      case EXPIRED -> ErrorCode.EXPIRED;
      case ALREADY_VOTED -> ErrorCode.ALREADY_VOTED;
      case CONFLICT -> ErrorCode.CONCURRENT_UPDATE;
    };
  }

  public static int status(ApprovalError error) {
    return code(error).status();
  }

  public static ApiException refusal(ApprovalResult result) {
    ErrorCode code = code(result.error());
    String detail = result.message() == null ? code.title() + "." : result.message();
    return new ApiException(code, detail, null, null);
  }
}
