package io.dvo.gate.notify;

import io.dvo.gate.approval.NotificationDelivery;

/** Writes a notification's delivery state onto its approval (ApprovalService.recordDelivery). */
@FunctionalInterface
public interface DeliveryRecorder {
  void record(String tenantId, String approvalId, NotificationDelivery delivery);
}
