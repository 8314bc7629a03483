package io.dvo.gate.store;

import io.dvo.gate.audit.AuditDraft;
import io.dvo.gate.audit.AuditTrail;
import io.dvo.gate.calendar.TenantCalendar;
import io.dvo.gate.quota.Charge;
import io.dvo.gate.quota.ChargeRequest;
import io.dvo.gate.quota.ChargeResult;
import io.dvo.gate.quota.QuotaSettings;
import io.dvo.gate.quota.RecordedCharge;
import io.dvo.gate.quota.UsageSnapshot;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Quota settings and usage, partitioned by tenant; and the tenant's calendar (time zone, freeze
 * windows, holidays), which is stored the same way as its quota settings (one versioned document).
 */
public interface QuotaStore {

  Optional<Versioned<QuotaSettings>> settings(String tenantId);

  /** Writes settings; {@code ifMatch} null means create-or-overwrite unconditionally. */
  WriteResult<QuotaSettings> putSettings(QuotaSettings settings, String ifMatch);

  /** The tenant's calendar, if one was set. */
  Optional<Versioned<TenantCalendar>> calendar(String tenantId);

  /** Writes the calendar; {@code ifMatch} null means create-or-overwrite unconditionally. */
  WriteResult<TenantCalendar> putCalendar(TenantCalendar calendar, String ifMatch);

  /** Usage so far in {@code period}; an empty snapshot when nothing was charged. */
  UsageSnapshot usage(String tenantId, String period);

  /**
   * Atomically checks the limits and charges, at most once per (tenant, idempotency key) across all
   * periods, so a run retried after a month boundary is not charged twice: concurrent charges never
   * overspend, and a retried charge is reported ALREADY_CHARGED without charging again. The
   * request's fingerprint is stored with the charge; ALREADY_CHARGED reports the fingerprint of the
   * first charge (the caller decides whether it is the same request).
   */
  ChargeResult charge(ChargeRequest request);

  /**
   * {@link #charge} with the audit event its result calls for ({@code event} answers null for
   * none): the answer is given only once both are durable. This default charges, then records — the
   * documented order for stores without a transaction shared with the audit trail: an audit failure
   * after the charge fails the call closed (503), and the caller's retry with the same key finds
   * the charge (ALREADY_CHARGED) and records its event then. A store sharing a transaction with the
   * trail (SQLite) writes both in one transaction, so a failed audit write charges nothing. {@code
   * event} must be pure: it may run inside the store's transaction.
   */
  default ChargeResult charge(
      ChargeRequest request, AuditTrail audit, Function<ChargeResult, AuditDraft> event) {
    ChargeResult result = charge(request);
    AuditDraft draft = event.apply(result);
    if (draft != null) {
      audit.record(draft);
    }
    return result;
  }

  /**
   * The charge recorded for this tenant's key, in any period, if there is one. A read, not a lock:
   * a charge committing at the same moment may or may not be seen.
   */
  Optional<Charge> chargeOf(String tenantId, String idempotencyKey);

  /** The most charges {@link #charges} lists at once. */
  int MAX_LISTED_CHARGES = 10_000;

  /**
   * The charges of one tenant's {@code period}, newest first (ties by key, descending), at most
   * {@code limit} (1 to {@link #MAX_LISTED_CHARGES}). A read for people (usage per day, recent
   * charges), not for limits: a charge committing at the same moment may or may not be listed.
   */
  List<RecordedCharge> charges(String tenantId, String period, int limit);
}
