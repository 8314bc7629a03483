package io.dvo.gate.http;

import io.dvo.gate.audit.AuditEventType;
import io.dvo.gate.audit.AuditReason;
import io.dvo.gate.audit.RefusalAudit;
import io.dvo.gate.http.auth.AuthFailure;
import io.dvo.gate.http.auth.DevHeaderAuthenticator;
import java.util.List;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Records every refused credential ({@link AuthFailure}) as an {@code auth.api_key_failed} event,
 * bounded per client address by {@link RefusalAudit}. The event names no principal (nobody was
 * authenticated) and no part of the credential: gate API keys are {@code dvo_} and random bytes
 * with no id part, so there is no key id to name, and the key and its hash are never recorded. The
 * tenant is the one the request named (its path, else {@code X-Tenant-Id}) when that is a tenant id
 * at all, else {@link RefusalAudit#SYSTEM_TENANT}: the body is never read for an unauthenticated
 * caller.
 */
public final class AuthFailureAudit {
  private static final Logger LOG = Logger.getLogger("io.dvo.gate.audit");
  private static final Pattern TENANT_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final int MAX_PATH = 256;

  private final RefusalAudit refusals;

  public AuthFailureAudit(RefusalAudit refusals) {
    this.refusals = refusals;
  }

  /**
   * Records the refusal of {@code call}'s credential. A trail that cannot record is logged, and the
   * request stays refused (401): the answer is a refusal either way.
   */
  void failed(Call call, ApiException refusal) {
    AuthFailure why = refusal.authFailure();
    if (why == null) {
      return;
    }
    HttpRequest request = call.request();
    String path = request.path();
    try {
      refusals.record(
          refusals
              .trail()
              .event(tenantOf(call), AuditEventType.AUTH_API_KEY_FAILED)
              .severity(5)
              .outcome("refused")
              .origin(call.origin())
              .reasons(List.of(new AuditReason(why.wireName(), refusal.getMessage())))
              .detail("reason", why.wireName())
              .detail("credential", why.credential())
              .detail("method", request.method())
              .detail("path", path.length() > MAX_PATH ? path.substring(0, MAX_PATH) : path)
              .build());
    } catch (RuntimeException e) {
      LOG.warning(
          "an authentication failure could not be recorded (" + e.getClass().getSimpleName() + ")");
    }
  }

  /** The tenant the request named, when it is a tenant id; else the system trail. */
  static String tenantOf(Call call) {
    String named = call.tenant();
    if (named == null) {
      named = call.header(DevHeaderAuthenticator.TENANT);
    }
    named = named == null ? null : named.trim();
    return named != null && TENANT_ID.matcher(named).matches() ? named : RefusalAudit.SYSTEM_TENANT;
  }
}
