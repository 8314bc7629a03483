package io.dvo.gate.client;

/** How the client presents its secret to the gate. */
public enum CredentialHeader {
  /** {@code Authorization: Bearer <secret>} (an Entra ID token validated by the platform). */
  AUTHORIZATION_BEARER("Authorization"),
  /** {@code x-functions-key: <secret>} (an Azure Functions key). */
  FUNCTIONS_KEY("x-functions-key"),
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
      case FUNCTIONS_KEY -> secret;
      case NONE -> null;
    };
  }
}
