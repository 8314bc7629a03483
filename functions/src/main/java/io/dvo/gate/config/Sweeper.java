package io.dvo.gate.config;

import io.dvo.gate.service.ApprovalService;

/**
 * The periodic approval sweep: expire what is due (in batches) and send reminders. Run by the
 * Functions timer every five minutes and by the local server's scheduler.
 */
public final class Sweeper {
  static final int BATCH = 200;
  static final int MAX_BATCHES = 20;

  private final ApprovalService approvals;
  private final Runnable reminders;
  private final Runnable auditRetention;

  /**
   * @param reminders sends due reminders (the Teams notifier's job); a no-op when not configured
   */
  public Sweeper(ApprovalService approvals, Runnable reminders) {
    this(approvals, reminders, null);
  }

  /**
   * @param auditRetention removes audit events past their retention (docs/audit.md); null for none
   */
  public Sweeper(ApprovalService approvals, Runnable reminders, Runnable auditRetention) {
    this.approvals = approvals;
    this.reminders = reminders == null ? () -> {} : reminders;
    this.auditRetention = auditRetention == null ? () -> {} : auditRetention;
  }

  /** What one sweep did. */
  public record Result(int expired) {}

  public Result sweep() {
    int expired = 0;
    for (int batch = 0; batch < MAX_BATCHES; batch++) {
      int now = approvals.expireDue(BATCH);
      expired += now;
      if (now < BATCH) {
        break;
      }
    }
    reminders.run();
    auditRetention.run();
    return new Result(expired);
  }
}
