package io.dvo.gate.notify;

import io.dvo.gate.api.GateRequest;
import io.dvo.gate.approval.ApprovalRecord;

/** Record variations for tests in other packages. */
public final class ApprovalFixturesAccess {
  private ApprovalFixturesAccess() {}

  public static ApprovalRecord withRequest(ApprovalRecord record, GateRequest request) {
    return TeamsCardBuilderTest.withRequest(record, request);
  }
}
