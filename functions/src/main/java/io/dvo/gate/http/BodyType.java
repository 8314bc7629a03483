package io.dvo.gate.http;

/**
 * What a route accepts as a request body; anything else is answered 415 before the handler runs.
 */
public enum BodyType {
  /** No body expected; one sent anyway is ignored. */
  NONE(""),
  /**
   * {@code application/json}, never empty: a state change is a JSON document (at least {@code {}}),
   * which no cross-site form can send (see {@link CrossSiteGuard}).
   */
  JSON("application/json"),
  /** {@code application/x-www-form-urlencoded}, for HTML forms (the review page). */
  FORM("application/x-www-form-urlencoded");

  private final String mediaType;

  BodyType(String mediaType) {
    this.mediaType = mediaType;
  }

  public String mediaType() {
    return mediaType;
  }
}
