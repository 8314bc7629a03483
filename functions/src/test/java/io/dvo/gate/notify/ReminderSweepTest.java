package io.dvo.gate.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dvo.gate.api.ApprovalStatus;
import io.dvo.gate.api.Page;
import io.dvo.gate.approval.ApprovalNotifier;
import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.approval.NotificationDelivery;
import io.dvo.gate.service.LinkBuilder;
import io.dvo.gate.store.ApprovalQuery;
import io.dvo.gate.store.ApprovalStore;
import io.dvo.gate.store.Versioned;
import io.dvo.gate.store.WriteResult;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReminderSweepTest {
  private static final Instant EXPIRES = ApprovalFixtures.pending().expiresAt();
  private WebhookSink sink;
  private TeamsNotifier notifier;
  private final RecordingStore store = new RecordingStore();

  @BeforeEach
  void start() throws Exception {
    sink = new WebhookSink();
  }

  @AfterEach
  void stop() {
    if (notifier != null) {
      notifier.close();
    }
    sink.close();
  }

  private ReminderSweep sweepAt(Instant now, Duration before) {
    Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    notifier =
        new TeamsNotifier(
            WebhookRoutes.parse(sink.url("/hook").toString(), null),
            new TeamsCardBuilder(ZoneId.of("UTC")),
            new WebhookPoster(HttpClient.newHttpClient(), RetryPolicy.DEFAULT, d -> {}),
            LinkBuilder.under("https://gate.example"),
            store::recordDelivery,
            clock);
    return new ReminderSweep(store, notifier, store::recordDelivery, before, clock);
  }

  @Test
  void remindsOnceWhenExpiryIsWithinTheLeadTime() throws Exception {
    store.put(ApprovalFixtures.pending());
    ReminderSweep sweep = sweepAt(EXPIRES.minus(Duration.ofMinutes(90)), Duration.ofHours(2));

    assertThat(sweep.run(50)).isEqualTo(1);
    assertThat(sink.next().text())
        .contains("Reminder: approval still needed, expires in 1 h 30 min");
    assertThat(store.deliveries()).anyMatch(d -> d.kind().equals("reminder"));

    // A second sweep (the reminder is recorded on the approval) sends nothing more.
    assertThat(sweep.run(50)).isZero();
  }

  @Test
  void noReminderBeforeTheLeadTimeOrAfterExpiryOrWhenDecided() {
    store.put(ApprovalFixtures.pending("acme", "early", "prod"));
    assertThat(sweepAt(EXPIRES.minus(Duration.ofHours(3)), Duration.ofHours(2)).run(50)).isZero();
    notifier.close();
    assertThat(sweepAt(EXPIRES.plusSeconds(1), Duration.ofHours(2)).run(50)).isZero();
    notifier.close();
    store.put(
        ApprovalFixtures.resolved(
            ApprovalFixtures.pending("acme", "early", "prod"),
            ApprovalStatus.APPROVED,
            List.of(),
            "ok"));
    assertThat(sweepAt(EXPIRES.minus(Duration.ofHours(1)), Duration.ofHours(2)).run(50)).isZero();
  }

  @Test
  void requestsShorterThanTheLeadTimeGetNoReminder() {
    store.put(ApprovalFixtures.pending());
    // 24 h lifetime, 30 h lead: the reminder would arrive with the request itself.
    assertThat(sweepAt(ApprovalFixtures.CREATED.plusSeconds(60), Duration.ofHours(30)).run(50))
        .isZero();
  }

  @Test
  void zeroHoursDisablesReminders() {
    store.put(ApprovalFixtures.pending());
    assertThat(
            sweepAt(EXPIRES.minus(Duration.ofMinutes(5)), ReminderSweep.reminderLead("0")).run(50))
        .isZero();
  }

  @Test
  void reminderHoursSettingIsValidated() {
    assertThat(ReminderSweep.reminderLead("1.5")).isEqualTo(Duration.ofMinutes(90));
    assertThat(ReminderSweep.reminderLead(null)).isEqualTo(Duration.ZERO);
    assertThatThrownBy(() -> ReminderSweep.reminderLead("two"))
        .isInstanceOf(NotifyConfigException.class)
        .hasMessageContaining("DVO_TEAMS_REMINDER_HOURS");
    assertThatThrownBy(() -> ReminderSweep.reminderLead("-1"))
        .isInstanceOf(NotifyConfigException.class);
  }

  @Test
  void timerStepRemindsOnlyWithTeamsAndPositiveHours() throws Exception {
    store.put(ApprovalFixtures.pending());
    Instant late = EXPIRES.minus(Duration.ofMinutes(30));
    Clock clock = Clock.fixed(late, ZoneOffset.UTC);
    sweepAt(late, Duration.ofHours(2));
    Duration twoHours = ReminderSweep.reminderLead("2");
    Duration off = ReminderSweep.reminderLead("0");

    ReminderSweep.configured(twoHours, store, ApprovalNotifier.NONE, store::recordDelivery, clock)
        .run();
    ReminderSweep.configured(off, store, notifier, store::recordDelivery, clock).run();
    assertThat(store.deliveries()).isEmpty();

    ReminderSweep.configured(twoHours, store, notifier, store::recordDelivery, clock).run();
    assertThat(sink.next().text()).contains("Reminder");
  }

  /** Just enough of an approval store: the sweep's query and delivery bookkeeping. */
  static final class RecordingStore implements ApprovalStore {
    private final Map<String, ApprovalRecord> records = new ConcurrentHashMap<>();
    private final List<NotificationDelivery> deliveries = new CopyOnWriteArrayList<>();

    void put(ApprovalRecord record) {
      records.put(record.id(), record);
    }

    List<NotificationDelivery> deliveries() {
      return deliveries;
    }

    void recordDelivery(String tenant, String id, NotificationDelivery delivery) {
      deliveries.add(delivery);
      ApprovalRecord r = records.get(id);
      List<NotificationDelivery> list = new ArrayList<>(r.notifications());
      list.add(delivery);
      records.put(
          id,
          new ApprovalRecord(
              r.id(),
              r.tenantId(),
              r.idempotencyKey(),
              r.status(),
              r.requester(),
              r.agentId(),
              r.environment(),
              r.request(),
              r.decision(),
              r.groups(),
              r.votes(),
              r.createdAt(),
              r.expiresAt(),
              r.resolvedAt(),
              r.statusReason(),
              r.charged(),
              list,
              r.history()));
    }

    @Override
    public Optional<Versioned<ApprovalRecord>> get(String tenantId, String id) {
      return Optional.ofNullable(records.get(id)).map(r -> new Versioned<>(r, "e"));
    }

    @Override
    public WriteResult<ApprovalRecord> create(ApprovalRecord record) {
      throw new UnsupportedOperationException();
    }

    @Override
    public WriteResult<ApprovalRecord> replace(ApprovalRecord record, String ifMatch) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Page<Versioned<ApprovalRecord>> list(
        String tenantId, ApprovalQuery query, String continuation) {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<Versioned<ApprovalRecord>> findPendingExpiringBy(Instant cutoff, int limit) {
      return records.values().stream()
          .filter(r -> r.status() == ApprovalStatus.PENDING && !r.expiresAt().isAfter(cutoff))
          .limit(limit)
          .map(r -> new Versioned<>(r, "e"))
          .toList();
    }

    @Override
    public List<Versioned<ApprovalRecord>> findWindowsEndedBy(Instant cutoff, int limit) {
      return List.of();
    }
  }
}
