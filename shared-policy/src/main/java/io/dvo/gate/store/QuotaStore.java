package io.dvo.gate.store;

import io.dvo.gate.quota.ChargeRequest;
import io.dvo.gate.quota.ChargeResult;
import io.dvo.gate.quota.QuotaSettings;
import io.dvo.gate.quota.UsageSnapshot;
import java.util.Optional;

/** Quota settings and usage, partitioned by tenant. */
public interface QuotaStore {

  Optional<Versioned<QuotaSettings>> settings(String tenantId);

  /** Writes settings; {@code ifMatch} null means create-or-overwrite unconditionally. */
  WriteResult<QuotaSettings> putSettings(QuotaSettings settings, String ifMatch);

  /** Usage so far in {@code period}; an empty snapshot when nothing was charged. */
  UsageSnapshot usage(String tenantId, String period);

  /**
   * Atomically checks the limits and charges, at most once per (tenant, idempotency key) across all
   * periods, so a run retried after a month boundary is not charged twice: concurrent charges never
   * overspend, and a retried charge is reported ALREADY_CHARGED without charging again.
   */
  ChargeResult charge(ChargeRequest request);
}
