package io.dvo.gate.store;

import io.dvo.gate.calendar.TenantCalendar;
import io.dvo.gate.quota.Charge;
import io.dvo.gate.quota.ChargeRequest;
import io.dvo.gate.quota.ChargeResult;
import io.dvo.gate.quota.QuotaSettings;
import io.dvo.gate.quota.RecordedCharge;
import io.dvo.gate.quota.UsageSnapshot;
import java.util.List;
import java.util.Optional;

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

  /**
   * Writes settings, with {@code audit}'s events recorded when they were written. This default
   * writes them after the settings; a store sharing a transaction with the trail writes both in
   * one.
   */
  default WriteResult<QuotaSettings> putSettings(
      QuotaSettings settings, String ifMatch, AuditedWrite audit) {
    return audit.recordAfter(putSettings(settings, ifMatch));
  }

  /** Writes the calendar as {@link #putCalendar(TenantCalendar, String)}, with events as above. */
  default WriteResult<TenantCalendar> putCalendar(
      TenantCalendar calendar, String ifMatch, AuditedWrite audit) {
    return audit.recordAfter(putCalendar(calendar, ifMatch));
  }

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
   * {@link #charge} with what it writes besides itself (its audit event and the run it starts): the
   * answer is given only once all are durable. This default charges, then writes them ({@link
   * ChargeCompanions#writeAfter}) — the documented order for stores without a transaction shared
   * with the trail and the runs. A store sharing one (SQLite) writes all in the charge's
   * transaction, so a failed audit or run write charges nothing.
   */
  default ChargeResult charge(ChargeRequest request, ChargeCompanions companions) {
    ChargeResult result = charge(request);
    companions.writeAfter(result);
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
