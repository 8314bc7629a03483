package io.dvo.gate.metrics;

import io.dvo.gate.api.Page;
import io.dvo.gate.approval.ApprovalRecord;
import io.dvo.gate.quota.Charge;
import io.dvo.gate.quota.ChargeRequest;
import io.dvo.gate.quota.ChargeResult;
import io.dvo.gate.quota.QuotaSettings;
import io.dvo.gate.quota.RecordedCharge;
import io.dvo.gate.quota.UsageSnapshot;
import io.dvo.gate.store.ApprovalQuery;
import io.dvo.gate.store.ApprovalStore;
import io.dvo.gate.store.AuditedWrite;
import io.dvo.gate.store.ChargeCompanions;
import io.dvo.gate.store.PolicyStore;
import io.dvo.gate.store.QuotaStore;
import io.dvo.gate.store.StoreUnavailableException;
import io.dvo.gate.store.StoredPolicy;
import io.dvo.gate.store.Stores;
import io.dvo.gate.store.Versioned;
import io.dvo.gate.store.WriteResult;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/** Store decorators that count failures (and charges); they change no result. */
final class MeteredStores {
  private MeteredStores() {}

  static Stores wrap(Stores stores, GateMetrics metrics) {
    return new Stores(
        new Approvals(stores.approvals(), metrics),
        new Quotas(stores.quotas(), metrics),
        new Policies(stores.policies(), metrics),
        stores.resource(),
        stores.runs(),
        stores.audit());
  }

  private static <T> T counted(
      GateMetrics metrics, String store, String operation, Supplier<T> call) {
    try {
      return call.get();
    } catch (StoreUnavailableException e) {
      metrics.storeError(store, operation);
      throw e;
    }
  }

  private record Approvals(ApprovalStore store, GateMetrics metrics) implements ApprovalStore {
    @Override
    public Optional<Versioned<ApprovalRecord>> get(String tenantId, String id) {
      return counted(metrics, "approvals", "get", () -> store.get(tenantId, id));
    }

    @Override
    public WriteResult<ApprovalRecord> create(ApprovalRecord record) {
      return counted(metrics, "approvals", "create", () -> store.create(record));
    }

    @Override
    public WriteResult<ApprovalRecord> replace(ApprovalRecord record, String ifMatch) {
      return counted(metrics, "approvals", "replace", () -> store.replace(record, ifMatch));
    }

    @Override
    public WriteResult<ApprovalRecord> create(ApprovalRecord record, AuditedWrite audit) {
      return counted(metrics, "approvals", "create", () -> store.create(record, audit));
    }

    @Override
    public WriteResult<ApprovalRecord> replace(
        ApprovalRecord record, String ifMatch, AuditedWrite audit) {
      return counted(metrics, "approvals", "replace", () -> store.replace(record, ifMatch, audit));
    }

    @Override
    public void drainOutboxesInto(io.dvo.gate.audit.AuditTrail trail) {
      store.drainOutboxesInto(trail);
    }

    @Override
    public Page<Versioned<ApprovalRecord>> list(
        String tenantId, ApprovalQuery query, String continuation) {
      return counted(metrics, "approvals", "list", () -> store.list(tenantId, query, continuation));
    }

    @Override
    public List<Versioned<ApprovalRecord>> findPendingExpiringBy(Instant cutoff, int limit) {
      return counted(
          metrics,
          "approvals",
          "findPendingExpiringBy",
          () -> store.findPendingExpiringBy(cutoff, limit));
    }

    @Override
    public List<Versioned<ApprovalRecord>> findWindowsEndedBy(Instant cutoff, int limit) {
      return counted(
          metrics,
          "approvals",
          "findWindowsEndedBy",
          () -> store.findWindowsEndedBy(cutoff, limit));
    }
  }

  private record Quotas(QuotaStore store, GateMetrics metrics) implements QuotaStore {
    @Override
    public Optional<Versioned<QuotaSettings>> settings(String tenantId) {
      return counted(metrics, "quotas", "settings", () -> store.settings(tenantId));
    }

    @Override
    public WriteResult<QuotaSettings> putSettings(QuotaSettings settings, String ifMatch) {
      return counted(metrics, "quotas", "putSettings", () -> store.putSettings(settings, ifMatch));
    }

    @Override
    public WriteResult<QuotaSettings> putSettings(
        QuotaSettings settings, String ifMatch, AuditedWrite audit) {
      return counted(
          metrics, "quotas", "putSettings", () -> store.putSettings(settings, ifMatch, audit));
    }

    @Override
    public Optional<Versioned<io.dvo.gate.calendar.TenantCalendar>> calendar(String tenantId) {
      return counted(metrics, "quotas", "calendar", () -> store.calendar(tenantId));
    }

    @Override
    public WriteResult<io.dvo.gate.calendar.TenantCalendar> putCalendar(
        io.dvo.gate.calendar.TenantCalendar calendar, String ifMatch) {
      return counted(metrics, "quotas", "putCalendar", () -> store.putCalendar(calendar, ifMatch));
    }

    @Override
    public WriteResult<io.dvo.gate.calendar.TenantCalendar> putCalendar(
        io.dvo.gate.calendar.TenantCalendar calendar, String ifMatch, AuditedWrite audit) {
      return counted(
          metrics, "quotas", "putCalendar", () -> store.putCalendar(calendar, ifMatch, audit));
    }

    @Override
    public UsageSnapshot usage(String tenantId, String period) {
      return counted(metrics, "quotas", "usage", () -> store.usage(tenantId, period));
    }

    @Override
    public ChargeResult charge(ChargeRequest request) {
      ChargeResult result = counted(metrics, "quotas", "charge", () -> store.charge(request));
      metrics.charged(
          request.tenantId(),
          result.status().name().toLowerCase(Locale.ROOT),
          result.status() == ChargeResult.Status.CHARGED ? request.amount() : 0);
      return result;
    }

    @Override
    public ChargeResult charge(ChargeRequest request, ChargeCompanions companions) {
      ChargeResult result =
          counted(metrics, "quotas", "charge", () -> store.charge(request, companions));
      metrics.charged(
          request.tenantId(),
          result.status().name().toLowerCase(Locale.ROOT),
          result.status() == ChargeResult.Status.CHARGED ? request.amount() : 0);
      return result;
    }

    @Override
    public Optional<Charge> chargeOf(String tenantId, String idempotencyKey) {
      return counted(metrics, "quotas", "chargeOf", () -> store.chargeOf(tenantId, idempotencyKey));
    }

    @Override
    public List<RecordedCharge> charges(String tenantId, String period, int limit) {
      return counted(metrics, "quotas", "charges", () -> store.charges(tenantId, period, limit));
    }
  }

  private record Policies(PolicyStore store, GateMetrics metrics) implements PolicyStore {
    @Override
    public List<Versioned<StoredPolicy>> list(String tenantId) {
      return counted(metrics, "policies", "list", () -> store.list(tenantId));
    }

    @Override
    public Optional<Versioned<StoredPolicy>> get(String tenantId, String id) {
      return counted(metrics, "policies", "get", () -> store.get(tenantId, id));
    }

    @Override
    public WriteResult<StoredPolicy> create(StoredPolicy policy) {
      return counted(metrics, "policies", "create", () -> store.create(policy));
    }

    @Override
    public WriteResult<StoredPolicy> replace(StoredPolicy policy, String ifMatch) {
      return counted(metrics, "policies", "replace", () -> store.replace(policy, ifMatch));
    }

    @Override
    public WriteResult<StoredPolicy> delete(String tenantId, String id, String ifMatch) {
      return counted(metrics, "policies", "delete", () -> store.delete(tenantId, id, ifMatch));
    }

    @Override
    public WriteResult<StoredPolicy> create(StoredPolicy policy, AuditedWrite audit) {
      return counted(metrics, "policies", "create", () -> store.create(policy, audit));
    }

    @Override
    public WriteResult<StoredPolicy> replace(
        StoredPolicy policy, String ifMatch, AuditedWrite audit) {
      return counted(metrics, "policies", "replace", () -> store.replace(policy, ifMatch, audit));
    }

    @Override
    public WriteResult<StoredPolicy> delete(
        String tenantId, String id, String ifMatch, AuditedWrite audit) {
      return counted(
          metrics, "policies", "delete", () -> store.delete(tenantId, id, ifMatch, audit));
    }
  }
}
