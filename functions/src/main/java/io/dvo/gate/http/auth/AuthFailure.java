package io.dvo.gate.http.auth;

/**
 * Why a presented credential was refused (401), as the audit event {@code auth.api_key_failed}
 * names it in {@code details.reason}. A request that presents no credential at all is refused
 * without one of these and is not recorded (it claims no identity; the access log has it).
 */
public enum AuthFailure {
  /** {@code X-DVO-API-Key} matches no configured key (wrong, revoked or made-up key). */
  UNKNOWN_API_KEY("unknown_api_key", "api_key"),
  /** {@code X-MS-CLIENT-PRINCIPAL} is not a readable principal. */
  INVALID_PRINCIPAL_HEADER("invalid_principal_header", "platform"),
  /** {@code X-MS-CLIENT-PRINCIPAL} was sent to a server that does not trust it. */
  UNTRUSTED_PRINCIPAL_HEADER("untrusted_principal_header", "platform"),
  /** A session cookie that is forged, expired or from a sign-in that is switched off. */
  INVALID_SESSION("invalid_session", "session"),
  /** A valid session cookie on a request it may not authorise (a cross-site or non-JSON change). */
  SESSION_NOT_ACCEPTED("session_not_accepted", "session"),
  /** An authenticating proxy's headers that conflict or are malformed. */
  INVALID_PROXY_HEADERS("invalid_proxy_headers", "proxy");

  private final String wireName;
  private final String credential;

  AuthFailure(String wireName, String credential) {
    this.wireName = wireName;
    this.credential = credential;
  }

  public String wireName() {
    return wireName;
  }

  /** The kind of credential that was presented ({@code details.credential}). */
  public String credential() {
    return credential;
  }
}
