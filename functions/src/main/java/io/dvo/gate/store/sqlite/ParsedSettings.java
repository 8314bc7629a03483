package io.dvo.gate.store.sqlite;

import io.dvo.gate.quota.QuotaSettings;
import io.dvo.gate.store.Versioned;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Quota settings already parsed, by tenant and ETag. Every write gives the row a fresh random ETag,
 * so a matching ETag means the same document, also when another process wrote it: the row is still
 * read on every call (the ETag), only the JSON parse is saved. One entry per tenant.
 */
final class ParsedSettings {
  private final ConcurrentMap<String, Versioned<QuotaSettings>> byTenant =
      new ConcurrentHashMap<>();

  /** The parsed settings when {@code etag} is the one last parsed for the tenant, else null. */
  Versioned<QuotaSettings> get(String tenantId, String etag) {
    Versioned<QuotaSettings> known = byTenant.get(tenantId);
    return known != null && known.etag().equals(etag) ? known : null;
  }

  void put(String tenantId, Versioned<QuotaSettings> parsed) {
    byTenant.put(tenantId, parsed);
  }
}
