package io.dvo.gate.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.dvo.gate.http.auth.AuthKind;
import io.dvo.gate.http.auth.Authenticator;
import io.dvo.gate.identity.Principal;
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
  private Authenticator.SignedIn signedIn;
  private volatile String tenant;

  public Call(HttpRequest request, Map<String, String> pathParams, Authenticator authenticator) {
    this(request, pathParams, authenticator, RequestId.of(request.headers()));
  }

  public Call(
      HttpRequest request,
      Map<String, String> pathParams,
      Authenticator authenticator,
      RequestId requestId) {
    this.request = request;
    this.pathParams = Map.copyOf(pathParams);
    this.authenticator = authenticator;
    this.requestId = requestId;
    this.tenant = pathParams.get("tenant");
  }

  /** The request's correlation id ({@link RequestId}). */
  public String requestId() {
    return requestId.value();
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
      signedIn = authenticator.signIn(request);
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
