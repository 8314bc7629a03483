package io.dvo.gate.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import io.dvo.gate.api.ApiPaths;
import io.dvo.gate.config.GateApp;
import io.dvo.gate.http.HttpApi;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The HTTP functions. Each only hands the request to the shared {@link HttpApi}, which routes it,
 * so the Functions host and the local server answer identically (including 404 and 405). The gate,
 * evaluate, approval read (the long poll) and other approval routes have their own functions, so
 * Application Insights reports their latency apart; the rest share a catch-all. Every method is
 * accepted so wrong methods get a 405 problem, not a host 404.
 *
 * <p>The host tries HTTP routes in the order of the function names (case-insensitive), not by how
 * specific they are: a catch-all must sort after every function whose paths it also matches ({@code
 * approvalRead} before {@code approvals}, {@code other} last). FunctionBindingsTest checks this and
 * docs/operations.md explains it.
 *
 * <p>authLevel ANONYMOUS: App Service Authentication (Entra ID) in front of the app supplies
 * X-MS-CLIENT-PRINCIPAL for people and lets unauthenticated requests through, so that pipelines'
 * gate API keys (X-DVO-API-Key) reach the gate, which refuses every call without either (401). A
 * function key would identify nobody. host.json sets routePrefix "" so the docs can live at /docs
 * as well as /api/v1/docs.
 */
public class ApiFunctions {
  private final Supplier<HttpApi> api;

  public ApiFunctions() {
    this(() -> GateApp.shared().httpApi());
  }

  /** For tests: a given API instead of the process-wide one. */
  public ApiFunctions(Supplier<HttpApi> api) {
    this.api = api;
  }

  @FunctionName("gate")
  public HttpResponseMessage gate(
      @HttpTrigger(
              name = "request",
              methods = {
                HttpMethod.GET,
                HttpMethod.POST,
                HttpMethod.PUT,
                HttpMethod.DELETE,
                HttpMethod.PATCH
              },
              authLevel = AuthorizationLevel.ANONYMOUS,
              route = ApiPaths.VERSION + ApiPaths.GATE)
          HttpRequestMessage<Optional<String>> request,
      ExecutionContext context) {
    return handle(request, context);
  }

  @FunctionName("evaluate")
  public HttpResponseMessage evaluate(
      @HttpTrigger(
              name = "request",
              methods = {
                HttpMethod.GET,
                HttpMethod.POST,
                HttpMethod.PUT,
                HttpMethod.DELETE,
                HttpMethod.PATCH
              },
              authLevel = AuthorizationLevel.ANONYMOUS,
              route = ApiPaths.VERSION + ApiPaths.EVALUATE)
          HttpRequestMessage<Optional<String>> request,
      ExecutionContext context) {
    return handle(request, context);
  }

  /** GET /api/v1/approvals/{tenant}/{id}: reads, and long polls with wait_seconds (up to 25 s). */
  @FunctionName("approvalRead")
  public HttpResponseMessage approvalRead(
      @HttpTrigger(
              name = "request",
              methods = {
                HttpMethod.GET,
                HttpMethod.POST,
                HttpMethod.PUT,
                HttpMethod.DELETE,
                HttpMethod.PATCH
              },
              authLevel = AuthorizationLevel.ANONYMOUS,
              route = ApiPaths.VERSION + ApiPaths.APPROVAL)
          HttpRequestMessage<Optional<String>> request,
      ExecutionContext context) {
    return handle(request, context);
  }

  @FunctionName("approvals")
  public HttpResponseMessage approvals(
      @HttpTrigger(
              name = "request",
              methods = {
                HttpMethod.GET,
                HttpMethod.POST,
                HttpMethod.PUT,
                HttpMethod.DELETE,
                HttpMethod.PATCH
              },
              authLevel = AuthorizationLevel.ANONYMOUS,
              route = ApiPaths.VERSION + "/approvals/{*rest}")
          HttpRequestMessage<Optional<String>> request,
      ExecutionContext context) {
    return handle(request, context);
  }

  @FunctionName("other")
  public HttpResponseMessage other(
      @HttpTrigger(
              name = "request",
              methods = {
                HttpMethod.GET,
                HttpMethod.POST,
                HttpMethod.PUT,
                HttpMethod.DELETE,
                HttpMethod.PATCH
              },
              authLevel = AuthorizationLevel.ANONYMOUS,
              route = ApiPaths.VERSION + "/{*rest}")
          HttpRequestMessage<Optional<String>> request,
      ExecutionContext context) {
    return handle(request, context);
  }

  @FunctionName("docs")
  public HttpResponseMessage docs(
      @HttpTrigger(
              name = "request",
              methods = {HttpMethod.GET},
              authLevel = AuthorizationLevel.ANONYMOUS,
              route = "docs")
          HttpRequestMessage<Optional<String>> request,
      ExecutionContext context) {
    return handle(request, context);
  }

  private HttpResponseMessage handle(
      HttpRequestMessage<Optional<String>> request, ExecutionContext context) {
    HttpApi wired;
    try {
      wired = api.get();
    } catch (RuntimeException e) {
      return FunctionsAdapter.notStarted(request, context, e);
    }
    return FunctionsAdapter.handle(wired, request, context);
  }

  /**
   * The pages outside the API: the overview at {@code /} and sign-in under {@code /auth}. A root
   * catch-all: the host tries routes in the order of the functions' names, and "pages" sorts after
   * every API function, so it only sees what they leave (unknown paths the router answers 404).
   */
  @FunctionName("pages")
  public HttpResponseMessage pages(
      @HttpTrigger(
              name = "request",
              methods = {HttpMethod.GET, HttpMethod.POST},
              authLevel = AuthorizationLevel.ANONYMOUS,
              route = "{*rest}")
          HttpRequestMessage<Optional<String>> request,
      ExecutionContext context) {
    HttpApi wired;
    try {
      wired = api.get();
    } catch (RuntimeException e) {
      return FunctionsAdapter.notStarted(request, context, e);
    }
    return FunctionsAdapter.handle(wired, request, context);
  }
}
