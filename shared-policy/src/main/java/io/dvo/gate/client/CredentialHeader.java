package io.dvo.gate.client;

/** How the client presents its secret to the gate. */
public enum CredentialHeader {
  /** {@code Authorization: Bearer <secret>} (an Entra ID token validated by the platform). */
  AUTHORIZATION_BEARER("Authorization"),
  /**
   * {@code X-DVO-API-Key: <secret>}: a gate-issued API key ({@code dvo-gate api-key new}), the
   * usual credential of a pipeline. A custom header, because App Service Authentication would
   * reject a non-token {@code Authorization: Bearer}.
   */
  API_KEY("X-DVO-API-Key"),
  /** No credential (local dev server). */
  NONE(null);

  private final String headerName;

  CredentialHeader(String headerName) {
    this.headerName = headerName;
  }

  /** The HTTP header carrying the secret; null for {@link #NONE}. */
  public String headerName() {
    return headerName;
  }

  /** The header value for {@code secret}; null for {@link #NONE}. */
  public String headerValue(String secret) {
    return switch (this) {
      case AUTHORIZATION_BEARER -> "Bearer " + secret;
      case API_KEY -> secret;
      case NONE -> null;
    };
  }
}
