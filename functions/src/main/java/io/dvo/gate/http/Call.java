package io.dvo.gate.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.http.auth.AuthKind;
import io.dvo.gate.http.auth.Authenticator;
import io.dvo.gate.identity.Principal;
import io.dvo.gate.identity.RequestOrigin;
import java.util.Map;

/**
 * One routed request on its way through a handler: path variables, query, body readers, and the
 * caller's identity, established on first use (routes such as health never ask).
 */
public final class Call {
  private final HttpRequest request;
  private final Map<String, String> pathParams;
  private final Authenticator authenticator;
  private final RequestId requestId;
  private final AuthFailureAudit authFailures;
  private Authenticator.SignedIn signedIn;
  private boolean refusalRecorded;
  private volatile String tenant;

  public Call(HttpRequest request, Map<String, String> pathParams, Authenticator authenticator) {
    this(request, pathParams, authenticator, RequestId.of(request.headers()));
  }

  public Call(
      HttpRequest request,
      Map<String, String> pathParams,
      Authenticator authenticator,
      RequestId requestId) {
    this(request, pathParams, authenticator, requestId, null);
  }

  /**
   * @param authFailures where a refused credential is recorded (null: nowhere)
   */
  public Call(
      HttpRequest request,
      Map<String, String> pathParams,
      Authenticator authenticator,
      RequestId requestId,
      AuthFailureAudit authFailures) {
    this.request = request;
    this.pathParams = Map.copyOf(pathParams);
    this.authenticator = authenticator;
    this.requestId = requestId;
    this.authFailures = authFailures;
    this.tenant = pathParams.get("tenant");
  }

  /** The request's correlation id ({@link RequestId}). */
  public String requestId() {
    return requestId.value();
  }

  /**
   * The client's address as the host established it (the connection's peer, or the platform's
   * client-address header where the operator configured one), or null when unknown.
   */
  public String clientAddress() {
    return request.remoteAddress().isEmpty() ? null : request.remoteAddress();
  }

  /** Where the request came from, for its audit events: correlation id and client address. */
  public RequestOrigin origin() {
    return new RequestOrigin(requestId(), clientAddress());
  }

  /** Names the tenant the request is for when it is not in the path (e.g. the gate's body). */
  public void tenant(String tenant) {
    this.tenant = tenant;
  }

  /** The tenant the request is for, when known (path or {@link #tenant(String)}); else null. */
  public String tenant() {
    return tenant;
  }

  /** The caller when a handler has already established who it is; else null (never signs in). */
  public Principal principalIfKnown() {
    Authenticator.SignedIn known = signedIn;
    return known == null ? null : known.principal();
  }

  public HttpRequest request() {
    return request;
  }

  /** A path variable of the route's template; routing guarantees it is present and non-empty. */
  public String path(String name) {
    String value = pathParams.get(name);
    if (value == null) {
      throw new IllegalArgumentException("route has no path variable " + name);
    }
    return value;
  }

  /** A query parameter, or null. */
  public String query(String name) {
    return request.query().get(name);
  }

  public String header(String name) {
    return request.headers().get(name);
  }

  /** The signed-in caller; 401 when nobody is signed in or the identity header is unreadable. */
  public Principal principal() {
    return signedIn().principal();
  }

  /** How the caller signed in; 401 as {@link #principal()}. */
  public AuthKind authKind() {
    return signedIn().kind();
  }

  private Authenticator.SignedIn signedIn() {
    if (signedIn == null) {
      try {
        signedIn = authenticator.signIn(request);
      } catch (ApiException e) {
        if (authFailures != null && e.authFailure() != null && !refusalRecorded) {
          refusalRecorded = true; // once per request, however often a handler asks
          authFailures.failed(this, e);
        }
        throw e;
      }
    }
    return signedIn;
  }

  public JsonNode jsonTree() {
    return JsonBody.parse(request.body());
  }

  public <T> T body(Class<T> type) {
    return JsonBody.read(request.body(), type);
  }

  public Map<String, String> form() {
    return UrlEncoded.form(request.body());
  }
}
