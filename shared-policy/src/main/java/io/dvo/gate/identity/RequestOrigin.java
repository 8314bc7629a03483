package io.dvo.gate.identity;

/**
 * Where a request came from: the request's correlation id and the client's address, as the host
 * established them (never a header a client could write unless the operator said to trust it).
 * Either part may be null.
 */
public record RequestOrigin(String correlationId, String clientAddress) {
  public static final RequestOrigin NONE = new RequestOrigin(null, null);

  public RequestOrigin {
    correlationId = blankToNull(correlationId);
    clientAddress = blankToNull(clientAddress);
  }

  /** An origin with only a correlation id (callers that do not know the client's address). */
  public static RequestOrigin of(String correlationId) {
    return correlationId == null ? NONE : new RequestOrigin(correlationId, null);
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
