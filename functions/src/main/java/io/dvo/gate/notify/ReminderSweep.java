package io.dvo.gate.notify;

import io.dvo.gate.api.ApprovalStatus;
import io.dvo.gate.approval.ApprovalNotifier;
import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.approval.NotificationDelivery;
import io.dvo.gate.store.ApprovalStore;
import io.dvo.gate.store.Versioned;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reminds approvers of pending requests that expire within {@code before}. Run from the timer
 * trigger. Each approval is reminded once: a "pending" reminder delivery is recorded on the
 * approval before the card is queued, and approvals carrying any reminder delivery are skipped.
 * Requests whose whole lifetime is shorter than {@code before} get no reminder (it would arrive
 * with the request itself). Timer triggers run as a singleton, so two sweeps do not race.
 */
public final class ReminderSweep {
  private static final Logger LOG = Logger.getLogger(ReminderSweep.class.getName());
  static final String KIND = "reminder";

  private final ApprovalStore store;
  private final TeamsNotifier notifier;
  private final DeliveryRecorder recorder;
  private final Duration before;
  private final Clock clock;

  public ReminderSweep(
      ApprovalStore store,
      TeamsNotifier notifier,
      DeliveryRecorder recorder,
      Duration before,
      Clock clock) {
    this.store = store;
    this.notifier = notifier;
    this.recorder = recorder;
    this.before = before;
    this.clock = clock;
  }

  /** Reminders sent per sweep at most; the rest wait for the next sweep. */
  public static final int BATCH = 200;

  /**
   * The reminder step of the timer sweep: reminders when {@code notifier} is the Teams notifier and
   * DVO_TEAMS_REMINDER_HOURS is above 0, else nothing.
   */
  public static Runnable configured(
      Duration lead,
      ApprovalStore store,
      ApprovalNotifier notifier,
      DeliveryRecorder recorder,
      Clock clock) {
    if (!(notifier instanceof TeamsNotifier teams) || lead.isZero()) {
      return () -> {};
    }
    ReminderSweep sweep = new ReminderSweep(store, teams, recorder, lead, clock);
    return () -> sweep.run(BATCH);
  }

  /** Hours from DVO_TEAMS_REMINDER_HOURS; 0 or blank disables reminders. */
  public static Duration reminderLead(String hoursSetting) {
    if (hoursSetting == null || hoursSetting.isBlank()) {
      return Duration.ZERO;
    }
    try {
      double hours = Double.parseDouble(hoursSetting.trim());
      if (hours < 0 || Double.isNaN(hours) || hours > 24 * 30) {
        throw new NumberFormatException();
      }
      return Duration.ofSeconds(Math.round(hours * 3600));
    } catch (NumberFormatException e) {
      throw new NotifyConfigException(
          "DVO_TEAMS_REMINDER_HOURS must be a number of hours between 0 and 720, got \""
              + hoursSetting.trim()
              + "\"");
    }
  }

  /** Queues reminders for up to {@code limit} approvals; returns how many were queued. */
  public int run(int limit) {
    if (before.isZero() || before.isNegative()) {
      return 0;
    }
    Instant now = clock.instant();
    int sent = 0;
    for (Versioned<ApprovalRecord> found : store.findPendingExpiringBy(now.plus(before), limit)) {
      ApprovalRecord record = found.value();
      Optional<String> channel = notifier.channelFor(record);
      if (!due(record, now) || channel.isEmpty()) {
        continue;
      }
      try {
        recorder.record(
            record.tenantId(),
            record.id(),
            new NotificationDelivery(channel.get(), KIND, "pending", 0, now, null));
      } catch (RuntimeException e) {
        // Not recorded means it could be sent twice later: skip it this round instead.
        LOG.log(
            Level.WARNING,
            "reminder for {0}/{1} skipped: could not record it ({2})",
            new Object[] {record.tenantId(), record.id(), e.getClass().getSimpleName()});
        continue;
      }
      notifier.notify(record, ApprovalNotifier.Kind.REMINDER);
      sent++;
    }
    return sent;
  }

  private boolean due(ApprovalRecord record, Instant now) {
    Instant remindAt = record.expiresAt().minus(before);
    return record.status() == ApprovalStatus.PENDING
        && now.isBefore(record.expiresAt())
        && !now.isBefore(remindAt)
        && record.createdAt().isBefore(remindAt)
        && record.notifications().stream().noneMatch(n -> KIND.equals(n.kind()));
  }
}
